import assert from 'node:assert/strict';
import { PermanentError } from '../../../pipeline/errors.ts';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import { PageIndex } from '../../../backend/block/page-index.ts';
import { RowGroupIndex } from '../../../backend/block/row-group-index.ts';
import { traceIdToHex } from '../../../backend/block/trace-id.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { absentIds, makeEntries, makeTempStore, RecordingStore, type TempStore } from './block-fixtures.ts';

describe('writeBlock', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  for (const format of ['tl1', 'tl2'] as const) {
    it(`writes ${format} traces over many pages that are all found again, byte for byte (payloads that are not OTLP)`, async () => {
      const entries = makeEntries(3000);
      const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b1', entries, bloomFalsePositive: 0.01, pageSize: 16 * 1024, format });
      assert.equal(meta.format, format);
      const index = await tmp.store.get('t/b1/index');
      const units = format === 'tl1' ? new PageIndex(index).pageCount : new RowGroupIndex(index).groupCount;
      assert.ok(units > 50, `only ${units} pages`);
      const reader = new BlockReader(tmp.store);
      for (const e of entries) assert.deepEqual(await reader.findTrace(meta, e.traceId), e.trace, traceIdToHex(e.traceId));
      for (const id of absentIds(3000)) assert.equal(await reader.findTrace(meta, id), undefined);
    });
  }

  it('describes the block in its meta', async () => {
    const entries = makeEntries(500, { startSeconds: 1_700_000_000 });
    const meta = await writeBlock(tmp.store, { tenantID: 'acme', blockID: 'b2', entries, bloomFalsePositive: 0.05 });
    assert.equal(meta.format, 'tl2');
    assert.equal(meta.dataEncoding, 'zstd');
    assert.equal(meta.totalObjects, 500);
    assert.equal(meta.totalSpans, entries.reduce((n, e) => n + e.spanCount, 0));
    assert.equal(meta.minID, traceIdToHex(entries[0].traceId));
    assert.equal(meta.maxID, traceIdToHex(entries[499].traceId));
    assert.equal(meta.startTime, '2023-11-14T22:13:20.000Z');
    assert.equal(meta.endTime, new Date((1_700_000_000 + 499) * 1000 + 500).toISOString());
    assert.equal(meta.size, (await tmp.store.get('acme/b2/data')).length);
    assert.equal(meta.compactionLevel, 0);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(await tmp.store.get('acme/b2/meta.json'))), meta);
  });

  it('writes data, index and every bloom shard before meta.json', async () => {
    const store = new RecordingStore(tmp.store);
    // 40k traces at 0.01% need more than one 64 KiB shard.
    const entries = makeEntries(40_000, { maxTraceBytes: 30 });
    const meta = await writeBlock(store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.0001 });
    assert.ok(meta.bloomShards > 1, `${meta.bloomShards} shard`);
    const puts = store.calls.map((c) => c.replace('put t/b/', ''));
    const expected = ['data', 'index', ...Array.from({ length: meta.bloomShards }, (_, i) => `bloom-${i}`)];
    assert.deepEqual(puts.slice(0, -1).sort(), expected.sort());
    assert.equal(puts.at(-1), 'meta.json');
    assert.deepEqual((await tmp.store.list('t/b/')).sort(), [...expected, 'meta.json'].map((n) => `t/b/${n}`).sort());
  });

  it('puts a trace bigger than a page in a page of its own', async () => {
    const entries = makeEntries(20, { maxTraceBytes: 200_000 });
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.01, pageSize: 1024 });
    const reader = new BlockReader(tmp.store);
    for (const e of entries) assert.deepEqual(await reader.findTrace(meta, e.traceId), e.trace);
  });

  it('refuses unsorted, duplicate or missing entries before writing anything', async () => {
    const [a, b] = makeEntries(2);
    const write = (entries: typeof a[]) => writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.01 });
    await assert.rejects(write([b, a]), PermanentError);
    await assert.rejects(write([a, a]), PermanentError);
    await assert.rejects(write([]), PermanentError);
    await assert.rejects(write([{ ...a, traceId: a.traceId.subarray(0, 8) }]), PermanentError);
    assert.deepEqual(await tmp.store.list(''), []);
  });

  it('refuses tenant and block IDs that are not one key segment', async () => {
    const entries = makeEntries(1);
    for (const [tenantID, blockID] of [['a/b', 'x'], ['..', 'x'], ['t', ''], ['t', 'x/y']]) {
      await assert.rejects(writeBlock(tmp.store, { tenantID, blockID, entries, bloomFalsePositive: 0.01 }), PermanentError);
    }
  });
});
