import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CompactedBlockMeta } from '../../../backend/block/compacted-meta.ts';
import { readTenantIndex, writeTenantIndex } from '../../../backend/db/tenant-index.ts';
import { makeTempStore, type TempStore } from '../block/block-fixtures.ts';
import { fakeMeta } from './db-fixtures.ts';

describe('tenant index', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  const metas = [fakeMeta('t', 'a'), fakeMeta('t', 'b', { totalSpans: 7 })];
  const compacted: CompactedBlockMeta[] = [{ ...fakeMeta('t', 'old'), compactedTime: '2024-01-01T01:00:00.000Z' }];
  const putIndex = (json: unknown) => tmp.store.put('t/index.json.gz', gzipSync(JSON.stringify(json)));

  it('writes <tenant>/index.json.gz as gzip JSON with Tempo field names and an RFC 3339 created_at', async () => {
    const createdAt = Date.parse('2024-05-06T07:08:09.123Z');
    await writeTenantIndex(tmp.store, 't', { metas, compacted, createdAt });
    const json = JSON.parse(gunzipSync(await tmp.store.get('t/index.json.gz')).toString('utf8'));
    assert.deepEqual(Object.keys(json), ['created_at', 'meta', 'compacted']);
    assert.equal(json.created_at, '2024-05-06T07:08:09.123Z');
    assert.deepEqual(json.meta, metas);
    assert.deepEqual(json.compacted, compacted);
  });

  it('reads back what it wrote', async () => {
    const written = await writeTenantIndex(tmp.store, 't', { metas, compacted });
    const read = await readTenantIndex(tmp.store, 't');
    assert.deepEqual(read, written);
    assert.ok(Math.abs(written.createdAt - Date.now()) < 60_000);
  });

  it('returns undefined when the tenant has no index', async () => {
    assert.equal(await readTenantIndex(tmp.store, 'nobody'), undefined);
  });

  it('reads an index written by Go: nanosecond created_at with an offset, null lists', async () => {
    await putIndex({ created_at: '2024-05-06T09:08:09.123456789+02:00', meta: null, compacted: null });
    const read = await readTenantIndex(tmp.store, 't');
    assert.deepEqual(read, { createdAt: Date.parse('2024-05-06T07:08:09.123Z'), metas: [], compacted: [] });
  });

  it('refuses a corrupt index with an error naming the key and the fault', async () => {
    const cases: [string | Uint8Array, RegExp][] = [
      [new TextEncoder().encode('{"created_at":"2024-01-01T00:00:00Z"}'), /t\/index\.json\.gz is corrupt: not gzip/],
      [gzipSync('{"created_at":'), /corrupt: not JSON/],
      [gzipSync('[]'), /corrupt: not a JSON object/],
      [gzipSync(JSON.stringify({ created_at: '2024-01-01 00:00:00', meta: [] })), /created_at is not an RFC 3339 time/],
      [gzipSync(JSON.stringify({ created_at: '2024-01-01T00:00:00Z', meta: {} })), /meta is not a list/],
      [gzipSync(JSON.stringify({ created_at: '2024-01-01T00:00:00Z', meta: [{ ...metas[0], size: -1 }] })), /meta\[0\]: field size is not a count/],
      [gzipSync(JSON.stringify({ created_at: '2024-01-01T00:00:00Z', compacted: [metas[0]] })), /compacted\[0\]: field compactedTime is not a time/],
    ];
    for (const [bytes, message] of cases) {
      await tmp.store.put('t/index.json.gz', typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
      await assert.rejects(readTenantIndex(tmp.store, 't'), message);
    }
  });

  it('refuses an index listing a block of another tenant', async () => {
    await putIndex({ created_at: '2024-01-01T00:00:00Z', meta: [fakeMeta('other', 'x')], compacted: [] });
    await assert.rejects(readTenantIndex(tmp.store, 't'), /meta\[0\]: names block other\/x/);
  });
});
