import { randomUUID } from 'node:crypto';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { makeTempStore } from '../block/block-fixtures.ts';

/** A fresh, empty store for one test, and how to tidy it away. */
export interface TestStore {
  readonly store: ObjectStore;
  dispose(): Promise<void>;
}

export const S3_ENDPOINT = process.env.TRACELAKE_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9000';

export async function makeLocalStore(): Promise<TestStore> {
  return makeTempStore();
}

/**
 * An S3ObjectStore on the services' S3 server under a prefix of its own; fails (does not skip) when the
 * server is unreachable. Disposing deletes every object under the prefix.
 */
export async function makeS3Store(): Promise<TestStore> {
  const store = new S3ObjectStore({
    bucket: 'tracelake', endpoint: S3_ENDPOINT, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: 'tracelake', secretAccessKey: 'tracelake-secret' },
    prefix: `test-db-${randomUUID()}`, retry: { maxAttempts: 2 },
  });
  try {
    await store.list('');
  } catch (err) {
    store.close();
    throw new Error(`S3 server at ${S3_ENDPOINT} is unreachable; start it with \`npm run services:up\``, { cause: err });
  }
  return {
    store,
    dispose: async () => {
      const keys = await store.list('');
      for (let i = 0; i < keys.length; i += 32) await Promise.all(keys.slice(i, i + 32).map((k) => store.delete(k)));
      store.close();
    },
  };
}
