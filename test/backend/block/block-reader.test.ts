import assert from 'node:assert/strict';
import { RetryableError, TracelakeError } from '../../../pipeline/errors.ts';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import bloomFilters from 'bloom-filters';
import type { BlockFormat } from '../../../backend/block/block-layout.ts';
import { encodeBloom } from '../../../backend/block/bloom-codec.ts';
import { bloomKey } from '../../../backend/block/bloom-shards.ts';
import { PageIndex } from '../../../backend/block/page-index.ts';
import { RowGroupIndex } from '../../../backend/block/row-group-index.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { absentIds, makeEntries, makeTempStore, RecordingStore, type TempStore } from './block-fixtures.ts';

/** Byte range of the page (tl1) or row group (tl2) holding `traceId`. */
async function unitOf(tmp: TempStore, format: BlockFormat, traceId: Uint8Array): Promise<{ offset: number; length: number }> {
  const bytes = await tmp.store.get('t/b/index');
  if (format === 'tl1') return new PageIndex(bytes).find(traceId)!;
  const index = new RowGroupIndex(bytes);
  return index.group(index.find(traceId));
}

for (const format of ['tl1', 'tl2'] as const) describe(`BlockReader (${format})`, () => {
  let tmp: TempStore;
  let meta: BlockMeta;
  const entries = makeEntries(400);
  beforeEach(async () => {
    tmp = await makeTempStore();
    meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.01, pageSize: 8192, format });
  });
  afterEach(async () => tmp.dispose());

  it('reads bloom and index once, then one page range per lookup', async () => {
    const store = new RecordingStore(tmp.store);
    const reader = new BlockReader(store);
    for (const e of entries.slice(0, 50)) assert.ok(await reader.findTrace(meta, e.traceId));
    assert.equal(store.count('get t/b/index'), 1);
    assert.equal(store.count('get t/b/bloom-0'), 1);
    assert.equal(store.count('getRange t/b/data'), 50);
    assert.equal(store.count('get t/b/data'), 0);
  });

  it('shares one read of a cold object among concurrent lookups', async () => {
    const store = new RecordingStore(tmp.store);
    const reader = new BlockReader(store);
    await Promise.all(entries.slice(0, 20).map((e) => reader.findTrace(meta, e.traceId)));
    assert.equal(store.count('get t/b/index'), 1);
  });

  it('reads no objects for IDs outside the block ID range', async () => {
    const store = new RecordingStore(tmp.store);
    const below = new Uint8Array(16);
    const above = new Uint8Array(16).fill(0xff);
    assert.equal(await new BlockReader(store).findTrace({ ...meta, minID: '01'.repeat(16) }, below), undefined);
    assert.equal(await new BlockReader(store).findTrace({ ...meta, maxID: 'fe'.repeat(16) }, above), undefined);
    assert.deepEqual(store.calls, []);
  });

  it('reads the page only for the few absent IDs the bloom filter lets through', async () => {
    const store = new RecordingStore(tmp.store);
    const reader = new BlockReader(store);
    for (const id of absentIds(2000)) assert.equal(await reader.findTrace(meta, id), undefined);
    assert.ok(store.count('getRange') < 60, `${store.count('getRange')} page reads for 2000 absent IDs`);
  });

  it('evicts cached objects beyond its byte budget', async () => {
    const store = new RecordingStore(tmp.store);
    const reader = new BlockReader(store, { cacheBytes: 100 });
    await reader.findTrace(meta, entries[0].traceId);
    await reader.findTrace(meta, entries[1].traceId);
    assert.equal(store.count('get t/b/index'), 2);
  });

  it('reports a corrupted page as a corrupt data object of the block', async () => {
    const data = await tmp.store.get('t/b/data');
    const page = await unitOf(tmp, format, entries[0].traceId);
    data[page.offset + Math.floor(page.length / 2)] ^= 0x55;
    await tmp.store.put('t/b/data', data);
    await assert.rejects(new BlockReader(tmp.store).findTrace(meta, entries[0].traceId), (err: Error) => {
      assert.ok(err instanceof TracelakeError && !(err instanceof RetryableError));
      assert.match(err.message, /block t\/b: object data is corrupt/);
      return true;
    });
  });

  it('reports a truncated data object as corrupt', async () => {
    const data = await tmp.store.get('t/b/data');
    await tmp.store.put('t/b/data', data.subarray(0, data.length - 10));
    const last = entries[entries.length - 1].traceId;
    await assert.rejects(new BlockReader(tmp.store).findTrace(meta, last), /block t\/b: object data is corrupt/);
  });

  it('reports a damaged index or bloom shard as corrupt', async () => {
    const index = await tmp.store.get('t/b/index');
    index[40] ^= 1;
    await tmp.store.put('t/b/index', index);
    const damage = format === 'tl1' ? /object index is corrupt: page index checksum/ : /object index is corrupt: row group index (checksum|does not decompress)/;
    await assert.rejects(new BlockReader(tmp.store).findTrace(meta, entries[0].traceId), damage);
    await tmp.store.put('t/b/bloom-0', new TextEncoder().encode('{"json": "export"}'));
    await assert.rejects(new BlockReader(tmp.store).findTrace(meta, entries[0].traceId), /object bloom-0 is corrupt: not a bloom filter/);
  });

  it('reports a missing object of a listed block as retryable', async () => {
    await tmp.store.delete('t/b/index');
    await assert.rejects(new BlockReader(tmp.store).findTrace(meta, entries[0].traceId), (err: Error) => {
      assert.ok(err instanceof RetryableError);
      assert.match(err.message, /block t\/b: object index is missing/);
      return true;
    });
  });

  it('finds traces through a bloom shard of hash scheme 1 (blocks written before scheme 2)', async () => {
    const old = bloomFilters.BloomFilter.create(entries.length, 0.01);
    for (const e of entries) old.add(bloomKey(e.traceId));
    await tmp.store.put('t/b/bloom-0', encodeBloom(old));
    const reader = new BlockReader(tmp.store);
    for (const e of entries) assert.deepEqual(await reader.findTrace(meta, e.traceId), e.trace);
    let admitted = 0;
    for (const id of absentIds(2000)) if (await reader.mayContain(meta, id)) admitted++;
    assert.ok(admitted < 60, `${admitted} of 2000 absent IDs admitted`);
  });

  it('refuses blocks of another format', async () => {
    await assert.rejects(new BlockReader(tmp.store).findTrace({ ...meta, format: 'vParquet4' }, entries[0].traceId), /unsupported format vParquet4/);
  });
});
