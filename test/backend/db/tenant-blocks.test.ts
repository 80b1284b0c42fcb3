import assert from 'node:assert/strict';
import { markBlockCompacted } from '../../../backend/block/compacted-meta.ts';
import { listTenantObjects, readTenantBlocks } from '../../../backend/db/tenant-blocks.ts';
import { writeTenantIndex } from '../../../backend/db/tenant-index.ts';
import { makeTempStore, type TempStore } from '../block/block-fixtures.ts';
import { fakeMeta, putMeta } from './db-fixtures.ts';

describe('tenant blocks', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  it('lists block IDs by marker, a compacted marker winning over a meta.json left beside it', async () => {
    await putMeta(tmp.store, fakeMeta('t', 'live'));
    await putMeta(tmp.store, fakeMeta('t', 'half'));
    await tmp.store.put('t/half/meta.compacted.json', new TextEncoder().encode('{}'));
    await tmp.store.put('t/orphan/data', new Uint8Array(1));
    await putMeta(tmp.store, fakeMeta('t2', 'other'));
    await writeTenantIndex(tmp.store, 't', { metas: [], compacted: [] });
    const listing = await listTenantObjects(tmp.store, 't');
    assert.deepEqual(listing, { tenant: 't', live: ['live'], compacted: ['half'], hasIndex: true });
  });

  it('reads a block marked compacted after the LIST as compacted, and leaves out one deleted since', async () => {
    await putMeta(tmp.store, fakeMeta('t', 'b'));
    await markBlockCompacted(tmp.store, fakeMeta('t', 'b'), Date.parse('2024-01-01T01:00:00Z'));
    const found = await readTenantBlocks(tmp.store, { tenant: 't', live: ['b', 'gone'], compacted: [], hasIndex: false });
    assert.deepEqual(found.metas, []);
    assert.deepEqual(found.compacted.map((m) => [m.blockID, m.compactedTime]), [['b', '2024-01-01T01:00:00.000Z']]);
  });

  it('reports and leaves out an invalid meta.json when asked to, and fails without onInvalid', async () => {
    await putMeta(tmp.store, fakeMeta('t', 'good'));
    await tmp.store.put('t/bad/meta.json', new TextEncoder().encode('{"format":'));
    const listing = await listTenantObjects(tmp.store, 't');
    const reported: string[] = [];
    const found = await readTenantBlocks(tmp.store, listing, { onInvalid: (key) => reported.push(key) });
    assert.deepEqual(found.metas.map((m) => m.blockID), ['good']);
    assert.deepEqual(reported, ['t/bad/meta.json']);
    await assert.rejects(readTenantBlocks(tmp.store, listing), /t\/bad\/meta\.json: not JSON/);
  });

  it('reuses known metas instead of reading them again', async () => {
    await putMeta(tmp.store, fakeMeta('t', 'a'));
    const known = { metas: [fakeMeta('t', 'a', { totalSpans: 42 })], compacted: [] };
    const found = await readTenantBlocks(tmp.store, await listTenantObjects(tmp.store, 't'), { known });
    assert.equal(found.metas[0].totalSpans, 42);
  });
});
