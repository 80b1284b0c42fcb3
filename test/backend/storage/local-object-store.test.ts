import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, PermanentError } from '../../../pipeline/errors.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { describeObjectStoreContract } from './object-store.contract.ts';

async function makeStore() {
  const root = await mkdtemp(join(tmpdir(), 'tracelake-store-'));
  return { store: new LocalObjectStore(join(root, 'blocks')), dispose: () => rm(root, { recursive: true, force: true }), root };
}

describeObjectStoreContract('LocalObjectStore', makeStore);

describe('LocalObjectStore', () => {
  let ctx: Awaited<ReturnType<typeof makeStore>>;
  beforeEach(async () => {
    ctx = await makeStore();
  });
  afterEach(async () => ctx.dispose());

  it('does not list files still being written', async () => {
    await ctx.store.put('t/b/data', new Uint8Array([1]));
    await writeFile(join(ctx.root, 'blocks/t/b/.abc.tl-tmp'), 'partial');
    assert.deepEqual(await ctx.store.list('t/'), ['t/b/data']);
  });

  it('writes nothing outside its root and leaves no temp files', async () => {
    await ctx.store.put('t/b/meta.json', new Uint8Array([1, 2]));
    await assert.rejects(ctx.store.put('../outside', new Uint8Array([1])), PermanentError);
    assert.deepEqual(await readdir(ctx.root), ['blocks']);
    assert.deepEqual(await readdir(join(ctx.root, 'blocks/t/b')), ['meta.json']);
  });

  it('removes folders emptied by a delete', async () => {
    await ctx.store.put('t/b/data', new Uint8Array([1]));
    await ctx.store.delete('t/b/data');
    assert.deepEqual(await readdir(join(ctx.root, 'blocks')), []);
  });

  // Not in the contract: S3Proxy's file backend answers 500 there, where S3 itself answers 404.
  it('refuses a key below an existing object, and finds nothing there', async () => {
    await ctx.store.put('t/file', new Uint8Array([1]));
    await assert.rejects(ctx.store.put('t/file/below', new Uint8Array([1])), PermanentError);
    await assert.rejects(ctx.store.get('t/file/below'), NotFoundError);
  });

  it('refuses keys with the reserved temp suffix', async () => {
    await assert.rejects(ctx.store.put('t/x.tl-tmp', new Uint8Array([1])), PermanentError);
  });
});
