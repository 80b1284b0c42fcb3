import assert from 'node:assert/strict';
import { readCompactedMetas } from '../../../backend/block/compacted-meta.ts';
import {
  expectedSpans, HOUR, liveBlocks, makeCompactor, makeTempDir, NOW, spansByTrace, traces, writeTestBlock, type TempDir,
} from './compactor-fixtures.ts';

const DAY = 24 * HOUR;

describe('Compactor retention and clean-up', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => tmp.dispose());

  it('takes blocks past block_retention out of queries, then deletes them after compacted_block_retention', async () => {
    await writeTestBlock(tmp.store, { blockID: 'old', traces: traces(0, 5, NOW - 15 * DAY) });
    await writeTestBlock(tmp.store, { blockID: 'recent', traces: traces(5, 5, NOW - 13 * DAY) });
    const clock = { now: NOW };
    const compactor = makeCompactor({ store: tmp.store, clock });
    const first = await compactor.runOnce();
    assert.deepEqual(first.expired, ['t1/old']);
    assert.deepEqual((await liveBlocks(tmp.store)).map((m) => m.blockID), ['recent']);
    assert.ok((await tmp.store.list('t1/old/')).length > 1, 'still readable by pollers that have not caught up');
    clock.now += HOUR - 1;
    assert.deepEqual((await compactor.runOnce()).deleted, []);
    clock.now += 1;
    assert.deepEqual((await compactor.runOnce()).deleted, ['t1/old']);
    assert.deepEqual(await tmp.store.list('t1/old/'), []);
    assert.ok((await tmp.store.list('t1/recent/')).length > 1);
  });

  it('applies a tenant\'s own retention, 0 keeping its blocks forever', async () => {
    for (const tenant of ['t1', 'short', 'forever']) {
      await writeTestBlock(tmp.store, { tenant, blockID: 'two-days', traces: traces(0, 3, NOW - 2 * DAY) });
      await writeTestBlock(tmp.store, { tenant, blockID: 'month', traces: traces(3, 3, NOW - 30 * DAY) });
    }
    const overrides = { short: { block_retention: '24h' }, forever: { block_retention: 0 } };
    const report = await makeCompactor({ store: tmp.store, overrides }).runOnce();
    assert.deepEqual(report.expired.sort(), ['short/month', 'short/two-days', 't1/month']);
    assert.deepEqual((await liveBlocks(tmp.store, 'forever')).map((m) => m.blockID), ['month', 'two-days']);
  });

  it('deletes compacted inputs only once compacted_block_retention has passed', async () => {
    await writeTestBlock(tmp.store, { blockID: 'a', traces: traces(0, 10, NOW - 60_000) });
    await writeTestBlock(tmp.store, { blockID: 'b', traces: traces(10, 10, NOW - 60_000) });
    const clock = { now: NOW };
    const compactor = makeCompactor({ store: tmp.store, clock, config: { compacted_block_retention: '30m' } });
    await compactor.runOnce();
    assert.deepEqual((await readCompactedMetas(tmp.store, 't1')).map((m) => [m.blockID, m.compactedTime]), [
      ['a', new Date(NOW).toISOString()], ['b', new Date(NOW).toISOString()],
    ]);
    clock.now += 29 * 60_000;
    assert.deepEqual((await compactor.runOnce()).deleted, []);
    clock.now += 60_000;
    assert.deepEqual((await compactor.runOnce()).deleted.sort(), ['t1/a', 't1/b']);
    assert.equal((await tmp.store.listDirs('t1/')).length, 1);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', Array.from({ length: 20 }, (_, i) => i)), expectedSpans(traces(0, 20, 0)));
  });

  it('deletes the objects of a block that never got a meta.json once the grace period has passed', async () => {
    await tmp.store.put('t1/dead/data', new Uint8Array(100));
    await tmp.store.put('t1/dead/bloom-0', new Uint8Array(10));
    await writeTestBlock(tmp.store, { blockID: 'live', traces: traces(0, 3, NOW - 60_000) });
    const clock = { now: NOW };
    const compactor = makeCompactor({ store: tmp.store, clock });
    assert.deepEqual((await compactor.runOnce()).orphans, []);
    clock.now += HOUR - 1;
    assert.deepEqual((await compactor.runOnce()).orphans, []);
    assert.equal((await tmp.store.list('t1/dead/')).length, 2);
    clock.now += 1;
    assert.deepEqual((await compactor.runOnce()).orphans, ['t1/dead']);
    assert.deepEqual(await tmp.store.listDirs('t1/'), ['live']);
  });

  it('never deletes a block still being written, whose meta.json arrives later', async () => {
    const spec = traces(0, 5, NOW - 60_000);
    await tmp.store.put('t1/slow/data', new Uint8Array(1)); // the writer has begun
    const clock = { now: NOW };
    const compactor = makeCompactor({ store: tmp.store, clock });
    await compactor.runOnce();
    clock.now += 30 * 60_000;
    await writeTestBlock(tmp.store, { blockID: 'slow', traces: spec });
    clock.now += 5 * HOUR;
    const report = await compactor.runOnce();
    assert.deepEqual(report.orphans, []);
    assert.deepEqual(await spansByTrace(tmp.store, 't1', [0, 1, 2, 3, 4]), expectedSpans(spec));
  });

  it('starts the grace period over after a restart rather than trusting a guess', async () => {
    await tmp.store.put('t1/dead/data', new Uint8Array(1));
    const clock = { now: NOW };
    await makeCompactor({ store: tmp.store, clock }).runOnce();
    clock.now += 2 * HOUR;
    const restarted = makeCompactor({ store: tmp.store, clock });
    assert.deepEqual((await restarted.runOnce()).orphans, []);
    clock.now += HOUR;
    assert.deepEqual((await restarted.runOnce()).orphans, ['t1/dead']);
  });
});
