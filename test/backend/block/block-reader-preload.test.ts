import assert from 'node:assert/strict';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import { decodeBloom } from '../../../backend/block/bloom-codec.ts';
import { bloomHas } from '../../../backend/block/bloom-shards.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { TracelakeError } from '../../../pipeline/errors.ts';
import { absentIds, makeEntries, makeTempStore, RecordingStore, type TempStore } from './block-fixtures.ts';

describe('BlockReader.preload', () => {
  let tmp: TempStore;
  let metas: BlockMeta[];
  const entries = [0, 1, 2].map((seed) => makeEntries(1000, { seed, startSeconds: 1_700_000_000 + seed * 3600, maxTraceBytes: 200 }));

  beforeEach(async () => {
    tmp = await makeTempStore();
    metas = [];
    for (const [i, e] of entries.entries()) {
      metas.push(await writeBlock(tmp.store, { tenantID: 't', blockID: `b${i}`, entries: e, bloomFalsePositive: 0.01, pageSize: 4096 }));
    }
  });
  afterEach(async () => tmp.dispose());

  it('loads every bloom shard and index, so lookups read only data pages', async () => {
    const store = new RecordingStore(tmp.store);
    const reader = new BlockReader(store);
    const result = await reader.preload(metas);
    const objects = metas.reduce((n, m) => n + m.bloomShards + 1, 0);
    assert.deepEqual(result, { loaded: objects, skipped: 0, failed: 0 });
    assert.equal(store.calls.length, objects);
    store.calls.length = 0;
    for (const [i, e] of entries.entries()) assert.ok(await reader.findTrace(metas[i]!, e[0]!.traceId));
    assert.deepEqual(store.calls, ['getRange t/b0/data', 'getRange t/b1/data', 'getRange t/b2/data']);
  });

  it('loads every shard of a block with several', async () => {
    const many = makeEntries(20_000, { seed: 5, maxTraceBytes: 30 });
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'big', entries: many, bloomFalsePositive: 1e-6 });
    assert.ok(meta.bloomShards > 1, `${meta.bloomShards} shard(s)`);
    const store = new RecordingStore(tmp.store);
    const reader = new BlockReader(store);
    assert.equal((await reader.preload([meta])).loaded, meta.bloomShards + 1);
    store.calls.length = 0;
    for (const e of many.slice(0, 200)) assert.ok(await reader.findTrace(meta, e.traceId));
    assert.equal(store.count('get '), 0);
  });

  it('loads blooms before indexes, newest block first', async () => {
    const store = new RecordingStore(tmp.store);
    await new BlockReader(store).preload(metas, { concurrency: 1 });
    const kinds = store.calls.map((c) => c.replace(/^get t\/(b\d)\/(bloom|index).*$/, '$2 $1'));
    const firstIndex = kinds.indexOf('index b2');
    assert.ok(kinds.slice(0, firstIndex).every((k) => k.startsWith('bloom')), kinds.join(', '));
    assert.deepEqual(kinds.slice(firstIndex), ['index b2', 'index b1', 'index b0']);
    assert.equal(kinds[0], 'bloom b2');
  });

  it('stops once the cache is nearly full instead of evicting what it loaded', async () => {
    const store = new RecordingStore(tmp.store);
    const oneShard = (await tmp.store.get('t/b2/bloom-0')).length;
    const reader = new BlockReader(store, { cacheBytes: oneShard * 3 });
    const result = await reader.preload(metas, { concurrency: 1 });
    assert.ok(result.loaded >= 2 && result.loaded <= 3, `loaded ${result.loaded}`);
    assert.equal(result.loaded + result.skipped, metas.reduce((n, m) => n + m.bloomShards + 1, 0));
  });

  it('counts a block it cannot read and goes on with the others', async () => {
    await tmp.store.delete('t/b1/index');
    const result = await new BlockReader(tmp.store).preload(metas);
    assert.equal(result.failed, 1);
    assert.match((result.firstError as Error).message, /block t\/b1: object index is missing/);
    assert.equal(result.skipped, 0);
  });

  it('fetches nothing once the signal is aborted', async () => {
    const store = new RecordingStore(tmp.store);
    const result = await new BlockReader(store).preload(metas, { signal: AbortSignal.abort() });
    assert.equal(result.loaded, 0);
    assert.deepEqual(store.calls, []);
  });
});

describe('BlockReader bloom checks', () => {
  it('answer as bloom-filters\' own has() does, for IDs present and absent', async () => {
    const tmp = await makeTempStore();
    try {
      const entries = makeEntries(500, { maxTraceBytes: 50 });
      const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.05 });
      const filter = decodeBloom(await tmp.store.get('t/b/bloom-0'));
      const reader = new BlockReader(tmp.store);
      const ids = [...entries.map((e) => e.traceId), ...absentIds(3000)].filter((id) => {
        const hex = Buffer.from(id).toString('hex');
        return meta.minID <= hex && hex <= meta.maxID;
      });
      let positives = 0;
      for (const id of ids) {
        const expected = bloomHas(filter, id);
        assert.equal(await reader.mayContain(meta, id), expected);
        if (expected) positives++;
      }
      assert.ok(positives > 500 && positives < ids.length, `${positives} of ${ids.length}`);
    } finally {
      await tmp.dispose();
    }
  });
});

describe('BlockReader errors from the store', () => {
  it('passes a refusal of the store (not a short read) through, not as a corrupt block', async () => {
    const tmp = await makeTempStore();
    try {
      const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: makeEntries(10), bloomFalsePositive: 0.01 });
      const refusing: ObjectStore = {
        ...tmp.store, put: (k, d) => tmp.store.put(k, d), list: (p) => tmp.store.list(p), listDirs: (p) => tmp.store.listDirs(p),
        delete: (k) => tmp.store.delete(k), getRange: (k, o, l) => tmp.store.getRange(k, o, l),
        get: () => Promise.reject(new TracelakeError('S3 refused GetObject (403)')),
      };
      await assert.rejects(new BlockReader(refusing).findTrace(meta, makeEntries(10)[0]!.traceId), (err: Error) => {
        assert.equal(err.message, 'S3 refused GetObject (403)');
        return true;
      });
    } finally {
      await tmp.dispose();
    }
  });
});
