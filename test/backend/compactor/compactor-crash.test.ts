import assert from 'node:assert/strict';
import { readCompactedMetas } from '../../../backend/block/compacted-meta.ts';
import { CrashStore } from './crash-store.ts';
import {
  expectedSpans, liveBlocks, makeCompactor, makeTempDir, NOW, spansByTrace, traces, writeTestBlock, type TempDir,
} from './compactor-fixtures.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const INPUTS = ['a', 'b', 'c'];
const ALL = [0, 1, 2].flatMap((b) => traces(b * 20, 40, NOW - 600_000, 2, b * 5));

describe('Compactor after a crash', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await makeTempDir();
    for (const [b, id] of INPUTS.entries()) await writeTestBlock(tmp.store, { blockID: id, traces: traces(b * 20, 40, NOW - 600_000, 2, b * 5) });
  });
  afterEach(async () => tmp.dispose());

  /** Crashes the first cycle where `crashOn` says, then runs a healthy cycle; returns the healthy one's report. */
  async function crashThenRun(crashOn: (op: 'put' | 'delete', key: string) => boolean) {
    const crashing = new CrashStore(tmp.store, crashOn);
    const failed = await makeCompactor({ store: crashing }).runOnce();
    assert.ok(crashing.crashed, 'the simulated crash happened');
    assert.equal(failed.errors, 1);
    // Whatever state the crash left, no span is lost in it.
    assert.deepEqual(dedupe(await spansByTrace(tmp.store, 't1', range(80))), expectedSpans(ALL));
    return makeCompactor({ store: tmp.store }).runOnce();
  }

  async function assertFinished(): Promise<void> {
    const live = await liveBlocks(tmp.store);
    assert.equal(live.length, 1, `live: ${live.map((m) => m.blockID)}`);
    assert.equal(live[0].compactionLevel, 1);
    assert.deepEqual((await readCompactedMetas(tmp.store, 't1')).map((m) => m.blockID).sort(), INPUTS);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(80)), expectedSpans(ALL), 'every span exactly once');
    assert.equal((await tmp.store.listDirs('t1/')).length, INPUTS.length + 1, 'no second copy of the output');
  }

  it('finishes the marks when it died after publishing the outputs, before marking any input', async () => {
    const report = await crashThenRun((op, key) => op === 'put' && key.endsWith('/meta.compacted.json'));
    assert.deepEqual(report.compactions, []);
    assert.deepEqual(report.recovered.sort(), INPUTS.map((id) => `t1/${id}`));
    await assertFinished();
  });

  it('finishes the interrupted job first even when new blocks would change what is chosen', async () => {
    const crashing = new CrashStore(tmp.store, (op, key) => op === 'put' && key.endsWith('/meta.compacted.json'));
    await makeCompactor({ store: crashing }).runOnce();
    await writeTestBlock(tmp.store, { blockID: '0-new', traces: traces(100, 10, NOW - 600_000) });
    const report = await makeCompactor({ store: tmp.store }).runOnce();
    assert.deepEqual(report.recovered.sort(), INPUTS.map((id) => `t1/${id}`));
    assert.deepEqual(report.compactions, [], 'the new block alone at level 0: nothing to merge');
    const ids = [...range(80), ...range(10).map((i) => 100 + i)];
    assert.deepEqual(await spansByTrace(tmp.store, 't1', ids), expectedSpans([...ALL, ...traces(100, 10, 0)]));
  });

  it('finishes the marks when it died after marking some inputs', async () => {
    let marks = 0;
    const report = await crashThenRun((op, key) => op === 'put' && key.endsWith('/meta.compacted.json') && ++marks === 2);
    assert.deepEqual(report.recovered.sort(), ['t1/b', 't1/c']);
    await assertFinished();
  });

  it('finishes a mark cut between its marker and the removal of meta.json', async () => {
    const report = await crashThenRun((op, key) => op === 'delete' && key === 't1/b/meta.json');
    assert.ok(report.recovered.includes('t1/b'));
    await assertFinished();
  });

  it('rewrites the same output when it died before publishing it', async () => {
    const report = await crashThenRun((op, key) => op === 'put' && key.endsWith('/meta.json'));
    assert.equal(report.compactions.length, 1);
    await assertFinished();
  });

  it('writes a fresh output when the retry comes an ID epoch later, and collects the abandoned one', async () => {
    const clock = { now: NOW };
    await makeCompactor({ store: new CrashStore(tmp.store, (op, key) => op === 'put' && key.endsWith('/meta.json')), clock }).runOnce();
    const [abandoned] = (await tmp.store.listDirs('t1/')).filter((id) => !INPUTS.includes(id));
    const compactor = makeCompactor({ store: tmp.store, clock });
    clock.now += 31 * 60_000; // past the 30-minute ID epoch of the default 1h grace period
    const retry = await compactor.runOnce();
    assert.notEqual(retry.compactions[0].outputs[0], abandoned);
    clock.now += 60 * 60_000;
    assert.deepEqual((await compactor.runOnce()).orphans, [`t1/${abandoned}`]);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', range(80)), expectedSpans(ALL));
    assert.equal((await liveBlocks(tmp.store)).length, 1);
  });
});

function dedupe(spans: Map<number, string[]>): Map<number, string[]> {
  return new Map([...spans].map(([n, keys]) => [n, [...new Set(keys)]]));
}
