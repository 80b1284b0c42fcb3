import assert from 'node:assert/strict';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import type { S3ObjectStoreOptions } from '../../../backend/storage/s3-object-store-options.ts';
import { ConfigError, NotFoundError, PermanentError, RetryableError, TracelakeError } from '../../../pipeline/errors.ts';
import { describeObjectStoreContract } from './object-store.contract.ts';
import { S3FaultProxy } from './s3-fault-proxy.ts';
import {
  S3_TEST_BUCKET, S3_TEST_CREDENTIALS, S3_TEST_ENDPOINT, removeS3Prefix, requireS3Server, s3TestOptions, uniqueS3Prefix,
} from './s3-test-server.ts';

const MiB = 1024 * 1024;
const bytes = (s: string) => new TextEncoder().encode(s);
const sorted = (xs: string[]) => [...xs].sort();

async function makeStore(overrides: Partial<S3ObjectStoreOptions> = {}) {
  await requireS3Server();
  const prefix = overrides.prefix ?? uniqueS3Prefix('store');
  const store = new S3ObjectStore(s3TestOptions({ ...overrides, prefix }));
  return {
    store,
    prefix,
    dispose: async () => {
      store.close();
      await removeS3Prefix(prefix);
    },
  };
}

describeObjectStoreContract('S3ObjectStore', () => makeStore());

describe('S3ObjectStore', () => {
  const disposers: (() => Promise<void>)[] = [];
  const proxies: S3FaultProxy[] = [];

  async function store(overrides: Partial<S3ObjectStoreOptions> = {}) {
    const made = await makeStore(overrides);
    disposers.push(made.dispose);
    return made;
  }

  /** A store talking through a fault-injecting proxy, beside a direct one on the same prefix. */
  async function proxied(overrides: Partial<S3ObjectStoreOptions> = {}) {
    const proxy = await S3FaultProxy.start(S3_TEST_ENDPOINT);
    proxies.push(proxy);
    const direct = await store();
    const through = await store({ prefix: direct.prefix, endpoint: proxy.endpoint, ...overrides });
    return { proxy, direct: direct.store, store: through.store, prefix: direct.prefix };
  }

  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
    for (const dispose of disposers.splice(0)) await dispose();
  });

  it('reads ranges at the first and last byte of an object and refuses one byte more', async () => {
    const { store: s } = await store();
    const data = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) % 251);
    await s.put('t/b/data', data);
    assert.deepEqual(await s.getRange('t/b/data', 0, 1), data.subarray(0, 1));
    assert.deepEqual(await s.getRange('t/b/data', 4095, 1), data.subarray(4095));
    assert.deepEqual(await s.getRange('t/b/data', 0, 4096), data);
    assert.deepEqual(await s.getRange('t/b/data', 4096, 0), new Uint8Array(0));
    await assert.rejects(s.getRange('t/b/data', 4096, 1), PermanentError);
    await assert.rejects(s.getRange('t/b/data', 4097, 0), PermanentError);
    await assert.rejects(s.getRange('t/b/data', 1, 4096), /past the end of object t\/b\/data \(4096 bytes\)/);
  });

  it('uploads an object larger than the part size in parts and reads it back whole', async () => {
    const { proxy, store: s, direct } = await proxied({ partSize: 5 * MiB });
    const big = new Uint8Array(12 * MiB + 3);
    for (let i = 0; i < big.length; i += 997) big[i] = (i >>> 10) & 0xff;
    await s.put('t/b/data', big);
    const calls = proxy.seen.map((r) => `${r.method} ${r.url.replace(/uploadId=[^&]+/, 'uploadId=U')}`);
    assert.equal(calls.filter((c) => /^POST .*\?uploads/.test(c)).length, 1, calls.join('\n'));
    assert.equal(calls.filter((c) => /^PUT .*partNumber=\d/.test(c)).length, 3, calls.join('\n'));
    assert.equal(calls.filter((c) => /^POST .*uploadId=U/.test(c)).length, 1, calls.join('\n'));
    assert.deepEqual(await direct.get('t/b/data'), big);
    assert.deepEqual(await direct.getRange('t/b/data', 10 * MiB - 1, 2 * MiB + 4), big.subarray(10 * MiB - 1));
  });

  it('aborts the multipart upload when a part keeps failing', async () => {
    const { proxy, store: s, direct, prefix } = await proxied({ partSize: 5 * MiB, retry: { maxAttempts: 2 } });
    proxy.plan = (r) => (r.url.includes('partNumber=2') ? 500 : 'pass');
    await assert.rejects(s.put('t/b/data', new Uint8Array(11 * MiB)), RetryableError);
    await assert.rejects(direct.get('t/b/data'), NotFoundError);
    assert.ok(proxy.seen.some((r) => r.method === 'DELETE' && r.url.includes('uploadId=')), 'no AbortMultipartUpload');
    const client = new S3Client({
      endpoint: S3_TEST_ENDPOINT, region: 'us-east-1', credentials: { ...S3_TEST_CREDENTIALS }, forcePathStyle: true,
    });
    try {
      const { Uploads = [] } = await client.send(new ListMultipartUploadsCommand({ Bucket: S3_TEST_BUCKET, Prefix: `${prefix}/` }));
      assert.deepEqual(Uploads.map((u) => u.Key), []);
    } finally {
      client.destroy();
    }
  });

  it('keeps stores with different prefixes apart', async () => {
    const root = uniqueS3Prefix('isolation');
    const { store: a } = await store({ prefix: `${root}/a` });
    const { store: b } = await store({ prefix: `/${root}/b/` });
    const { store: both } = await store({ prefix: root });
    await a.put('t1/b1/meta.json', bytes('from a'));
    await b.put('t1/b1/meta.json', bytes('from b'));
    await b.put('t2/b2/data', bytes('only b'));
    assert.deepEqual(await a.get('t1/b1/meta.json'), bytes('from a'));
    assert.deepEqual(await b.get('t1/b1/meta.json'), bytes('from b'));
    assert.deepEqual(await a.list(''), ['t1/b1/meta.json']);
    assert.deepEqual(await a.listDirs(''), ['t1']);
    await assert.rejects(a.get('t2/b2/data'), NotFoundError);
    await b.delete('t1/b1/meta.json');
    assert.deepEqual(await a.get('t1/b1/meta.json'), bytes('from a'));
    assert.deepEqual(sorted(await both.list('')), ['a/t1/b1/meta.json', 'b/t2/b2/data']);
    assert.deepEqual(sorted(await both.listDirs('')), ['a', 'b']);
  });

  it('refuses a prefix or part size it cannot honour', () => {
    for (const prefix of ['../up', 'a//b', 'a/../b', 'a/./b', 'back\\slash']) {
      assert.throws(() => new S3ObjectStore(s3TestOptions({ prefix })), ConfigError, prefix);
    }
    assert.throws(() => new S3ObjectStore(s3TestOptions({ partSize: MiB })), ConfigError);
    assert.throws(() => new S3ObjectStore(s3TestOptions({ bucket: '' })), ConfigError);
  });

  it('pages through listings longer than one page', async () => {
    const { proxy, store: s, direct } = await proxied({ listPageSize: 2 });
    for (let i = 0; i < 5; i++) {
      await direct.put(`t/b${i}/data`, bytes('d'));
      await direct.put(`t/b${i}/meta.json`, bytes('m'));
    }
    assert.deepEqual(sorted(await s.listDirs('t')), ['b0', 'b1', 'b2', 'b3', 'b4']);
    assert.equal(proxy.seen.length, 3);
    assert.equal((await s.list('t/')).length, 10);
    assert.equal(proxy.seen.length, 3 + 5);
  });

  it('retries gets and puts through 500, 503 SlowDown and dropped connections', async () => {
    const { proxy, store: s, direct } = await proxied();
    proxy.failFirst(500, 503, 'reset');
    await s.put('t/b/data', bytes('survived'));
    assert.equal(proxy.seen.length, 4);
    assert.deepEqual(await direct.get('t/b/data'), bytes('survived'));
    proxy.failFirst('reset', 503, 500);
    assert.deepEqual(await s.get('t/b/data'), bytes('survived'));
    proxy.failFirst('truncate', 500);
    assert.deepEqual(await s.getRange('t/b/data', 2, 5), bytes('rvive'));
    assert.equal(proxy.seen.length, 4 + 4 + 3);
  });

  it('abandons an attempt that gets no answer in time and retries it', async () => {
    const { proxy, store: s, direct } = await proxied({ retry: { attemptTimeoutMs: 300 } });
    await direct.put('t/b/index', bytes('index'));
    proxy.failFirst('stall', 'stall');
    assert.deepEqual(await s.get('t/b/index'), bytes('index'));
    assert.equal(proxy.seen.length, 3);
  });

  it('gives up with a RetryableError after the attempt bound', async () => {
    const { proxy, store: s } = await proxied({ retry: { maxAttempts: 3 } });
    proxy.plan = () => 503;
    await assert.rejects(s.get('t/b/data'), (err: Error) => {
      assert.ok(err instanceof RetryableError, String(err));
      assert.match(err.message, /S3 GetObject of t\/b\/data failed after 3 attempts: SlowDown \(503\)/);
      return true;
    });
    assert.equal(proxy.seen.length, 3);
    proxy.plan = () => 'reset';
    await assert.rejects(s.put('t/b/data', bytes('x')), RetryableError);
    assert.equal(proxy.seen.length, 6);
  });

  it('fails at once, with a clear error, when the secret key is wrong', async () => {
    const { proxy, store: s } = await proxied({ credentials: { ...S3_TEST_CREDENTIALS, secretAccessKey: 'wrong' } });
    await assert.rejects(s.get('t/b/data'), (err: Error) => {
      assert.ok(err instanceof TracelakeError && !(err instanceof RetryableError) && !(err instanceof NotFoundError), String(err));
      assert.match(err.message, /S3 refused GetObject of t\/b\/data in bucket tracelake \(check the access key, secret key .*\): SignatureDoesNotMatch \(403\)/);
      return true;
    });
    await assert.rejects(s.put('t/b/data', bytes('x')), /SignatureDoesNotMatch \(403\)/);
    assert.equal(proxy.seen.length, 2);
  });

  it('does not retry a missing object or a bucket that does not exist', async () => {
    const { proxy, store: s } = await proxied();
    await assert.rejects(s.get('t/absent'), NotFoundError);
    await s.delete('t/absent');
    assert.equal(proxy.seen.length, 2);
    const { store: nowhere } = await store({ bucket: 'no-such-bucket-tracelake' });
    await assert.rejects(nowhere.get('t/absent'), /S3 bucket no-such-bucket-tracelake does not exist/);
  });
});
