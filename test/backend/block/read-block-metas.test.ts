import assert from 'node:assert/strict';
import { TracelakeError } from '../../../pipeline/errors.ts';
import { listTenants, readBlockMetas } from '../../../backend/block/read-block-metas.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { makeEntries, makeTempStore, type TempStore } from './block-fixtures.ts';

describe('readBlockMetas', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  const write = (tenantID: string, blockID: string) =>
    writeBlock(tmp.store, { tenantID, blockID, entries: makeEntries(10), bloomFalsePositive: 0.01 });

  it('returns the metas of complete blocks and skips blocks without meta.json', async () => {
    const a = await write('t', 'a');
    const b = await write('t', 'b');
    await write('t', 'half');
    await tmp.store.delete('t/half/meta.json');
    const metas = await readBlockMetas(tmp.store, 't');
    assert.deepEqual(metas.sort((x, y) => x.blockID.localeCompare(y.blockID)), [a, b]);
  });

  it('lists tenants, and none for an empty store', async () => {
    assert.deepEqual(await listTenants(tmp.store), []);
    await write('t1', 'a');
    await write('t2', 'a');
    assert.deepEqual((await listTenants(tmp.store)).sort(), ['t1', 't2']);
    assert.deepEqual(await readBlockMetas(tmp.store, 'nobody'), []);
  });

  it('fails on an unreadable meta.json unless told to report and skip it', async () => {
    await write('t', 'good');
    await write('t', 'bad');
    await tmp.store.put('t/bad/meta.json', new TextEncoder().encode('{"format": "tl1"'));
    await assert.rejects(readBlockMetas(tmp.store, 't'), (err: Error) => {
      assert.ok(err instanceof TracelakeError);
      assert.match(err.message, /^t\/bad\/meta.json: not JSON/);
      return true;
    });
    const reported: string[] = [];
    const metas = await readBlockMetas(tmp.store, 't', { onInvalid: (key) => reported.push(key) });
    assert.deepEqual(metas.map((m) => m.blockID), ['good']);
    assert.deepEqual(reported, ['t/bad/meta.json']);
  });

  it('refuses a meta.json with missing fields or one naming another block', async () => {
    const meta = await write('t', 'a');
    const put = (m: unknown) => tmp.store.put('t/a/meta.json', new TextEncoder().encode(JSON.stringify(m)));
    await put({ ...meta, minID: 'xyz' });
    await assert.rejects(readBlockMetas(tmp.store, 't'), /field minID/);
    await put({ ...meta, totalSpans: undefined });
    await assert.rejects(readBlockMetas(tmp.store, 't'), /field totalSpans/);
    await put({ ...meta, blockID: 'other' });
    await assert.rejects(readBlockMetas(tmp.store, 't'), /names block t\/other/);
  });
});
