import assert from 'node:assert/strict';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { hashShards } from '../../../backend/compactor/shard-owner.ts';
import {
  expectedSpans, HOUR, liveBlocks, makeCompactor, makeTempDir, NOW, spansByTrace, traces, writeTestBlock, type TempDir, type TraceSpec,
} from './compactor-fixtures.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Compactors running at once', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => tmp.dispose());

  for (const [name, delayed] of [['in step', false], ['one of them lagging on every object', true]] as const) {
    it(`never lose a trace and end with each span once, both owning every block (${name})`, async () => {
      await concurrentRounds(delayed);
    });
  }

  async function concurrentRounds(delayed: boolean): Promise<void> {
    // 12 blocks of one window; trace t is in blocks t%12 and (t+1)%12, some spans in both (a replay).
    const specs: TraceSpec[][] = range(12).map(() => []);
    for (const t of range(240)) {
      specs[t % 12].push({ n: t, spans: [0, 1, 2], endMs: NOW - 20 * 60_000 + t });
      specs[(t + 1) % 12].push({ n: t, spans: [2, 3], endMs: NOW - 20 * 60_000 + t });
    }
    for (const [b, spec] of specs.entries()) await writeTestBlock(tmp.store, { blockID: `b${String(b).padStart(2, '0')}`, traces: spec });
    const expected = expectedSpans(specs.flat());
    // Two processes: two stores over the same folder, two compactors with their own memory.
    const stores = [new LocalObjectStore(tmp.store.root), delayed ? new LaggingStore(tmp.store.root) : new LocalObjectStore(tmp.store.root)];
    const compactors = stores.map((store) => makeCompactor({ store, config: { max_input_blocks: 4 } }));
    let live = 12;
    for (let round = 0; round < 6 && live > 1; round++) {
      const reports = await Promise.all(compactors.map((c) => c.runOnce()));
      for (const r of reports) assert.equal(r.errors, 0);
      assert.deepEqual(unique(await spansByTrace(tmp.store, 't1', range(240))), expected, `round ${round}: a span was lost`);
      const now = (await liveBlocks(tmp.store)).length;
      assert.ok(now < live, `round ${round}: ${now} blocks, was ${live}`);
      live = now;
    }
    assert.equal(live, 1);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(240)), expected, 'each span exactly once');
  }

  it('split the windows between them with hashShards, each window compacted by one', async () => {
    const all: TraceSpec[] = [];
    for (const w of range(8)) {
      for (const b of range(3)) {
        const spec = traces(w * 100 + b * 10, 10, NOW - (w + 1) * HOUR + 60_000);
        all.push(...spec);
        await writeTestBlock(tmp.store, { blockID: `w${w}-b${b}`, traces: spec });
      }
    }
    const compactors = [0, 1].map((i) => makeCompactor({ store: new LocalObjectStore(tmp.store.root), owner: hashShards(i, 2) }));
    const reports = await Promise.all(compactors.map((c) => c.runOnce()));
    const windows = reports.map((r) => r.compactions.map((c) => c.windowStart));
    assert.ok(windows[0].length > 0 && windows[1].length > 0, `uneven: ${windows.map((w) => w.length)}`);
    assert.equal(new Set([...windows[0], ...windows[1]]).size, 8, 'each window compacted once');
    assert.equal((await liveBlocks(tmp.store)).length, 8);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', all.map((t) => t.n)), expectedSpans(all));
  });
});

/** A second process that is slower on every call by a varying 0-3 ms: the two interleave differently each step. */
class LaggingStore extends LocalObjectStore {
  #n = 0;
  #lag(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, (this.#n++ * 7) % 4));
  }
  override async put(key: string, data: Uint8Array) {
    await this.#lag();
    return super.put(key, data);
  }
  override async get(key: string) {
    await this.#lag();
    return super.get(key);
  }
  override async delete(key: string) {
    await this.#lag();
    return super.delete(key);
  }
}

function unique(spans: Map<number, string[]>): Map<number, string[]> {
  return new Map([...spans].map(([n, keys]) => [n, [...new Set(keys)]]));
}
