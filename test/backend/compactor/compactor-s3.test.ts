import assert from 'node:assert/strict';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import { removeS3Prefix, requireS3Server, s3TestOptions, uniqueS3Prefix } from '../storage/s3-test-server.ts';
import {
  expectedSpans, HOUR, liveBlocks, makeCompactor, NOW, spansByTrace, traces, writeTestBlock, type TraceSpec,
} from './compactor-fixtures.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Compactor on the S3 server', () => {
  let prefix: string;
  const stores: S3ObjectStore[] = [];
  const open = () => {
    const store = new S3ObjectStore(s3TestOptions({ prefix }));
    stores.push(store);
    return store;
  };
  beforeEach(async () => {
    await requireS3Server();
    prefix = uniqueS3Prefix('compactor');
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) s.close();
    await removeS3Prefix(prefix);
  });

  it('compacts with two compactors at once, then deletes the inputs, expired blocks and orphans', async () => {
    const store = open();
    const specs: TraceSpec[][] = range(6).map((b) => traces(b * 25, 50, NOW - 40 * 60_000, 2, b * 3));
    for (const [b, spec] of specs.entries()) await writeTestBlock(store, { blockID: `b${b}`, traces: spec });
    await writeTestBlock(store, { blockID: 'expired', traces: traces(500, 5, NOW - 20 * 24 * HOUR) });
    await store.put('t1/orphan/data', new Uint8Array(10));
    const expected = expectedSpans(specs.flat());
    const clock = { now: NOW };
    const [a, b] = [open(), open()].map((s) => makeCompactor({ store: s, clock }));

    const reports = await Promise.all([a.runOnce(), b.runOnce()]);
    assert.deepEqual(reports.map((r) => r.errors), [0, 0]);
    assert.deepEqual([...new Set(reports.flatMap((r) => r.expired))], ['t1/expired']);
    const live = await liveBlocks(store);
    assert.equal(live.length, 1);
    assert.equal(live[0].compactionLevel, 1);
    assert.deepEqual(await spansByTrace(store, 't1', range(175)), expected, 'each span exactly once');

    clock.now += HOUR;
    const later = await a.runOnce();
    assert.deepEqual(later.deleted.sort(), ['t1/b0', 't1/b1', 't1/b2', 't1/b3', 't1/b4', 't1/b5', 't1/expired']);
    assert.deepEqual(later.orphans, ['t1/orphan']);
    assert.deepEqual(await store.listDirs('t1/'), [live[0].blockID]);
    assert.deepEqual(await spansByTrace(store, 't1', range(175)), expected);
  });
});
