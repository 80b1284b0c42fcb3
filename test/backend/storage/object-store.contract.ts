import assert from 'node:assert/strict';
import { NotFoundError, PermanentError } from '../../../pipeline/errors.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';

/** A fresh, empty store for one test, and how to tidy it away. */
export interface ContractStore {
  readonly store: ObjectStore;
  dispose(): Promise<void>;
}

const bytes = (s: string) => new TextEncoder().encode(s);
const sorted = (xs: string[]) => [...xs].sort();

/** The behaviour every ObjectStore must share (local folder, S3-compatible server). */
export function describeObjectStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let ctx: ContractStore;
    let store: ObjectStore;
    beforeEach(async () => {
      ctx = await makeStore();
      store = ctx.store;
    });
    afterEach(async () => ctx.dispose());

    it('returns the bytes that were put', async () => {
      await store.put('t/b/data', bytes('hello'));
      assert.deepEqual(await store.get('t/b/data'), bytes('hello'));
    });

    it('keeps every byte value and empty objects', async () => {
      const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      await store.put('bin', all);
      await store.put('empty', new Uint8Array(0));
      assert.deepEqual(await store.get('bin'), all);
      assert.equal((await store.get('empty')).length, 0);
    });

    it('replaces an object on a second put', async () => {
      await store.put('k', bytes('first version, longer'));
      await store.put('k', bytes('second'));
      assert.deepEqual(await store.get('k'), bytes('second'));
    });

    it('leaves one whole object when puts to the same key race', async () => {
      const a = new Uint8Array(1 << 20).fill(1);
      const b = new Uint8Array(1 << 20).fill(2);
      await Promise.all([store.put('race', a), store.put('race', b)]);
      const got = await store.get('race');
      assert.ok(got.every((x) => x === got[0]) && got.length === 1 << 20, 'a mix of two puts');
    });

    it('reads exactly the requested range', async () => {
      const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
      await store.put('r', data);
      assert.deepEqual(await store.getRange('r', 0, 10), data.subarray(0, 10));
      assert.deepEqual(await store.getRange('r', 990, 10), data.subarray(990));
      assert.deepEqual(await store.getRange('r', 500, 0), new Uint8Array(0));
    });

    it('refuses a range past the end of the object', async () => {
      await store.put('r', new Uint8Array(100));
      await assert.rejects(store.getRange('r', 95, 10), PermanentError);
      await assert.rejects(store.getRange('r', 200, 1), PermanentError);
      await assert.rejects(store.getRange('r', -1, 1), PermanentError);
    });

    it('keeps and ranges over a large object', async () => {
      const big = new Uint8Array(24 << 20);
      for (let i = 0; i < big.length; i += 4093) big[i] = (i >>> 12) & 0xff;
      await store.put('big', big);
      assert.deepEqual(await store.get('big'), big);
      assert.deepEqual(await store.getRange('big', 20 << 20, 8192), big.subarray(20 << 20, (20 << 20) + 8192));
    });

    it('throws NotFoundError for absent keys', async () => {
      await store.put('t/present', bytes('x'));
      await assert.rejects(store.get('t/absent'), NotFoundError);
      await assert.rejects(store.getRange('t/absent', 0, 1), NotFoundError);
      await assert.rejects(store.get('t'), NotFoundError); // a folder is not an object
    });

    it('lists every key under a prefix, recursively', async () => {
      for (const k of ['a/1/data', 'a/1/meta.json', 'a/2/x/y', 'ab/1/data', 'b/1/data']) await store.put(k, bytes(k));
      assert.deepEqual(sorted(await store.list('a/')), ['a/1/data', 'a/1/meta.json', 'a/2/x/y']);
      assert.deepEqual(sorted(await store.list('a/1/m')), ['a/1/meta.json']);
      assert.deepEqual(sorted(await store.list('a')), ['a/1/data', 'a/1/meta.json', 'a/2/x/y', 'ab/1/data']);
      assert.equal((await store.list('')).length, 5);
      assert.deepEqual(await store.list('c/'), []);
    });

    it('lists the folders directly under a prefix', async () => {
      for (const k of ['t1/b1/data', 't1/b2/meta.json', 't1/file', 't2/b3/data', 'top']) await store.put(k, bytes(k));
      assert.deepEqual(sorted(await store.listDirs('')), ['t1', 't2']);
      assert.deepEqual(sorted(await store.listDirs('t1/')), ['b1', 'b2']);
      assert.deepEqual(sorted(await store.listDirs('t1')), ['b1', 'b2']);
      assert.deepEqual(await store.listDirs('t1/b1/'), []);
      assert.deepEqual(await store.listDirs('none/'), []);
    });

    it('deletes objects, and absent ones without error', async () => {
      await store.put('t/b/data', bytes('x'));
      await store.put('t/c/data', bytes('y'));
      await store.delete('t/b/data');
      await store.delete('t/b/data');
      await store.delete('never/was');
      await assert.rejects(store.get('t/b/data'), NotFoundError);
      assert.deepEqual(await store.list('t/'), ['t/c/data']);
      assert.deepEqual(await store.listDirs('t/'), ['c']);
    });

    it('refuses keys that could escape the store', async () => {
      const bad = ['', '../x', 'a/../../x', '/abs', 'a//b', 'a\\b', 'a/./b', 'a/', '.', '..', 'nul\0byte'];
      for (const key of bad) {
        await assert.rejects(store.put(key, bytes('x')), PermanentError, `put ${JSON.stringify(key)}`);
        await assert.rejects(store.get(key), PermanentError, `get ${JSON.stringify(key)}`);
        await assert.rejects(store.getRange(key, 0, 1), PermanentError, `getRange ${JSON.stringify(key)}`);
        await assert.rejects(store.delete(key), PermanentError, `delete ${JSON.stringify(key)}`);
      }
      for (const prefix of ['../', '/', '/abs', 'a/../b/']) {
        await assert.rejects(store.list(prefix), PermanentError, `list ${JSON.stringify(prefix)}`);
        await assert.rejects(store.listDirs(prefix), PermanentError, `listDirs ${JSON.stringify(prefix)}`);
      }
    });
  });
}
