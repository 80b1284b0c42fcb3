import assert from 'node:assert/strict';
import { Registry, type Counter } from 'prom-client';
import { windowStartOf } from '../../../backend/compactor/block-window.ts';
import type { BlocksChanged } from '../../../backend/compactor/tenant-cycle.ts';
import {
  expectedSpans, HOUR, liveBlocks, makeCompactor, makeTempDir, NOW, spansByTrace, traces, writeTestBlock,
  type TempDir, type TraceSpec,
} from './compactor-fixtures.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name) as Counter | undefined;
  return (await metric?.get())?.values.reduce((n, v) => n + v.value, 0) ?? 0;
}

describe('Compactor', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => tmp.dispose());

  it('merges the blocks of a window into one while every trace stays whole', async () => {
    // Six blocks whose traces overlap: traces 20..219, many of them split over two or three blocks.
    const specs: TraceSpec[][] = range(6).map((b) => traces(20 + b * 30, 60, NOW - 50 * 60_000 + b * 1000, 2 + (b % 3), b * 10));
    for (const [b, spec] of specs.entries()) await writeTestBlock(tmp.store, { blockID: `b${b}`, traces: spec });
    const expected = expectedSpans(specs.flat());
    const ids = [...expected.keys()];
    assert.deepEqual(await spansByTrace(tmp.store, 't1', ids), expected);

    const report = await makeCompactor({ store: tmp.store }).runOnce();
    assert.equal(report.compactions.length, 1);
    assert.deepEqual(report.compactions[0].inputs, ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    const live = await liveBlocks(tmp.store);
    assert.equal(live.length, 1);
    assert.equal(live[0].compactionLevel, 1);
    assert.equal(live[0].totalObjects, ids.length);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', ids), expected);
  });

  it('keeps a span stored twice (a WAL replay) once, and counts it', async () => {
    const replayed = traces(0, 40, NOW - 30 * 60_000);
    await writeTestBlock(tmp.store, { blockID: 'first', traces: replayed });
    await writeTestBlock(tmp.store, { blockID: 'replay', traces: [...replayed, ...traces(40, 10, NOW - 20 * 60_000)] });
    const before = await spansByTrace(tmp.store, 't1', range(50));
    assert.equal(before.get(0)?.length, 6, 'trace 0 is stored twice before compaction');

    const metrics = new Registry();
    const report = await makeCompactor({ store: tmp.store, metrics }).runOnce();
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(50)), expectedSpans(replayed.concat(traces(40, 10, 0))));
    const { inputSpans, outputSpans } = report.compactions[0];
    assert.deepEqual([inputSpans, outputSpans], [270, 150]);
    assert.equal(await counterValue(metrics, 'tracelake_compactor_spans_deduplicated_total'), 120);
    assert.equal(await counterValue(metrics, 'tracelake_compactor_blocks_compacted_total'), 2);
    assert.equal(await counterValue(metrics, 'tracelake_compactor_blocks_written_total'), 1);
    assert.equal(await counterValue(metrics, 'tracelake_compactor_bytes_written_total'), (await liveBlocks(tmp.store))[0].size);
  });

  it('never merges blocks of different windows, nor of different levels in a recent window', async () => {
    const w1 = NOW - 90 * 60_000;
    const w2 = NOW - 30 * 60_000;
    await writeTestBlock(tmp.store, { blockID: 'w1-a', traces: traces(0, 10, w1) });
    await writeTestBlock(tmp.store, { blockID: 'w1-b', traces: traces(10, 10, w1) });
    await writeTestBlock(tmp.store, { blockID: 'w2-a', traces: traces(20, 10, w2) });
    await writeTestBlock(tmp.store, { blockID: 'w2-b', traces: traces(30, 10, w2) });
    await writeTestBlock(tmp.store, { blockID: 'w2-l1', level: 1, traces: traces(40, 10, w2) });
    const compactor = makeCompactor({ store: tmp.store });

    const first = await compactor.runOnce();
    assert.deepEqual(first.compactions.map((c) => [c.inputs, c.level]), [[['w2-a', 'w2-b'], 1], [['w1-a', 'w1-b'], 1]]);
    assert.equal((await liveBlocks(tmp.store)).length, 3);
    const second = await compactor.runOnce();
    assert.deepEqual(second.compactions.map((c) => c.level), [2]);
    const live = await liveBlocks(tmp.store);
    assert.deepEqual(live.map((m) => m.compactionLevel).sort(), [1, 2]);
    for (const meta of live) assert.equal(windowStartOf(meta, HOUR), Math.floor(Date.parse(meta.startTime) / HOUR) * HOUR / 1000, meta.blockID);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(50)), expectedSpans(traces(0, 50, 0)));
  });

  it('names outputs after their inputs: the same compaction elsewhere gives the same blocks, byte for byte', async () => {
    const other = await makeTempDir();
    try {
      for (const store of [tmp.store, other.store]) {
        await writeTestBlock(store, { blockID: 'x', traces: traces(0, 30, NOW - 10 * 60_000) });
        await writeTestBlock(store, { blockID: 'y', traces: traces(15, 30, NOW - 10 * 60_000) });
      }
      const [a, b] = await Promise.all([makeCompactor({ store: tmp.store }).runOnce(), makeCompactor({ store: other.store }).runOnce()]);
      assert.deepEqual(a.compactions[0].outputs, b.compactions[0].outputs);
      const id = a.compactions[0].outputs[0];
      for (const name of ['data', 'index', 'bloom-0', 'meta.json']) {
        assert.deepEqual(await tmp.store.get(`t1/${id}/${name}`), await other.store.get(`t1/${id}/${name}`), name);
      }
    } finally {
      await other.dispose();
    }
  });

  it('tells the wiring what it published and removed', async () => {
    await writeTestBlock(tmp.store, { blockID: 'a', traces: traces(0, 5, NOW - 60_000) });
    await writeTestBlock(tmp.store, { blockID: 'b', traces: traces(5, 5, NOW - 60_000) });
    const changes: BlocksChanged[] = [];
    const report = await makeCompactor({ store: tmp.store, onBlocksChanged: (c) => changes.push(c) }).runOnce();
    assert.deepEqual(changes.map((c) => [c.tenant, c.added.map((m) => m.blockID), c.removed]), [['t1', report.compactions[0].outputs, ['a', 'b']]]);
  });

  it('stops a cycle between jobs when its signal is aborted, the job in hand finished', async () => {
    for (const b of range(6)) await writeTestBlock(tmp.store, { blockID: `b${b}`, traces: traces(b * 10, 10, NOW - 60_000) });
    const controller = new AbortController();
    const compactor = makeCompactor({ store: tmp.store, config: { max_input_blocks: 2 }, onBlocksChanged: () => controller.abort() });
    const report = await compactor.runOnce(controller.signal);
    assert.equal(report.compactions.length, 1);
    assert.equal(report.stopped, true);
    assert.equal((await liveBlocks(tmp.store)).length, 5);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(60)), expectedSpans(traces(0, 60, 0)));
  });

  it('runs cycles on its own once started, and stops after the job in hand', async () => {
    for (const b of range(4)) await writeTestBlock(tmp.store, { blockID: `b${b}`, traces: traces(b * 10, 10, NOW - 60_000) });
    const compactor = makeCompactor({ store: tmp.store, config: { compaction_cycle: '5ms', max_input_blocks: 2 } });
    compactor.start();
    compactor.start();
    for (let i = 0; i < 400 && (await liveBlocks(tmp.store)).length > 1; i++) await new Promise((r) => setTimeout(r, 5));
    await compactor.stop();
    await compactor.stop();
    assert.equal((await liveBlocks(tmp.store)).length, 1);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(40)), expectedSpans(traces(0, 40, 0)));
  });
});
