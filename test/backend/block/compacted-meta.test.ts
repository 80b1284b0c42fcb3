import assert from 'node:assert/strict';
import { markBlockCompacted, readCompactedMetas } from '../../../backend/block/compacted-meta.ts';
import { deleteBlock } from '../../../backend/block/delete-block.ts';
import { readBlockMeta } from '../../../backend/block/read-block-meta.ts';
import { readBlockMetas } from '../../../backend/block/read-block-metas.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { makeEntries, makeTempStore, type TempStore } from './block-fixtures.ts';

describe('compacted block metas', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  it('moves a block from the live list to the compacted list, keeping its meta and the time', async () => {
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: makeEntries(5), bloomFalsePositive: 0.01 });
    await writeBlock(tmp.store, { tenantID: 't', blockID: 'c', entries: makeEntries(5), bloomFalsePositive: 0.01 });
    await markBlockCompacted(tmp.store, meta, Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.deepEqual((await readBlockMetas(tmp.store, 't')).map((m) => m.blockID), ['c']);
    assert.equal(await readBlockMeta(tmp.store, 't', 'b'), undefined);
    assert.deepEqual(await readCompactedMetas(tmp.store, 't'), [{ ...meta, compactedTime: '2024-01-02T03:04:05.000Z' }]);
  });

  it('writes the marker before removing meta.json, so the block is never in neither list', async () => {
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: makeEntries(5), bloomFalsePositive: 0.01 });
    const calls: string[] = [];
    const store: ObjectStore = Object.assign(Object.create(tmp.store) as ObjectStore, {
      put: async (k: string, d: Uint8Array) => { calls.push(`put ${k}`); await tmp.store.put(k, d); },
      delete: async (k: string) => { calls.push(`delete ${k}`); await tmp.store.delete(k); },
    });
    await markBlockCompacted(store, meta, 0);
    assert.deepEqual(calls, ['put t/b/meta.compacted.json', 'delete t/b/meta.json']);
  });

  it('deletes every object of a block, the marker last', async () => {
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: makeEntries(5), bloomFalsePositive: 0.01 });
    await markBlockCompacted(tmp.store, meta, 0);
    const deleted: string[] = [];
    const store: ObjectStore = Object.assign(Object.create(tmp.store) as ObjectStore, {
      list: (p: string) => tmp.store.list(p),
      delete: async (k: string) => { deleted.push(k); await tmp.store.delete(k); },
    });
    assert.equal(await deleteBlock(store, 't', 'b'), 4);
    assert.equal(deleted.at(-1), 't/b/meta.compacted.json');
    assert.deepEqual(await tmp.store.list('t/'), []);
  });
});
