import assert from 'node:assert/strict';
import { BlockIterator } from '../../../backend/block/block-iterator.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { RetryableError, TracelakeError } from '../../../pipeline/errors.ts';
import { makeEntries, makeTempStore, type TempStore } from './block-fixtures.ts';

describe('BlockIterator', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  for (const format of ['tl1', 'tl2'] as const) it(`yields every trace of a many-page ${format} block in trace ID order, byte for byte`, async () => {
    const entries = makeEntries(2000);
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.01, pageSize: 8 * 1024, format });
    const it = await BlockIterator.open(tmp.store, meta);
    assert.ok(it.pageCount > 20, `only ${it.pageCount} pages`);
    const seen: Uint8Array[] = [];
    for (let r = await it.next(); r !== undefined; r = await it.next()) {
      assert.deepEqual(r.traceId, entries[seen.length].traceId);
      assert.deepEqual(r.trace, entries[seen.length].trace);
      seen.push(r.trace);
    }
    assert.equal(seen.length, 2000);
    assert.equal(await it.next(), undefined);
  });

  for (const format of ['tl1', 'tl2'] as const) it(`refuses a ${format} page that does not hold what the index says`, async () => {
    const entries = makeEntries(300);
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.01, pageSize: 4 * 1024, format });
    const data = await tmp.store.get('t/b/data');
    const flipped = Uint8Array.from(data);
    flipped[Math.floor(data.length / 2)] ^= 0xff;
    await tmp.store.put('t/b/data', flipped);
    const it = await BlockIterator.open(tmp.store, meta);
    await assert.rejects(async () => {
      while ((await it.next()) !== undefined);
    }, (err: Error) => err instanceof TracelakeError && /block t\/b: object data is corrupt/.test(err.message));
  });

  it('reports a block whose objects are gone as retryable', async () => {
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: makeEntries(10), bloomFalsePositive: 0.01 });
    await tmp.store.delete('t/b/index');
    await assert.rejects(BlockIterator.open(tmp.store, meta), RetryableError);
  });
});
