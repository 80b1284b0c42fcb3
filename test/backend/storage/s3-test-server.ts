import { randomBytes } from 'node:crypto';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import type { S3ObjectStoreOptions } from '../../../backend/storage/s3-object-store-options.ts';

/** The S3-compatible server of `npm run services:up`, as tests reach it. */

export const S3_TEST_ENDPOINT = process.env.TRACELAKE_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9000';
export const S3_TEST_BUCKET = 'tracelake';
export const S3_TEST_CREDENTIALS = Object.freeze({ accessKeyId: 'tracelake', secretAccessKey: 'tracelake-secret' });

/** Options for a store on the test server; quick retries so fault tests stay fast. */
export function s3TestOptions(overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStoreOptions {
  return {
    bucket: S3_TEST_BUCKET,
    endpoint: S3_TEST_ENDPOINT,
    region: 'us-east-1',
    credentials: S3_TEST_CREDENTIALS,
    forcePathStyle: true,
    ...overrides,
    retry: { backoffInitialMs: 5, backoffMaxMs: 20, ...overrides.retry },
  };
}

/** A key prefix no other test or run uses: `test/<name>-<time>-<random>`. */
export function uniqueS3Prefix(name: string): string {
  return `test/${name}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

let reachable: Promise<void> | undefined;

/** Fails loudly (never skips) when the server does not answer, saying how to start it. */
export function requireS3Server(): Promise<void> {
  reachable ??= (async () => {
    const store = new S3ObjectStore(s3TestOptions({ retry: { maxAttempts: 1, attemptTimeoutMs: 5000 } }));
    try {
      await store.listDirs('');
    } catch (err) {
      throw new Error(
        `the S3 server at ${S3_TEST_ENDPOINT} (bucket ${S3_TEST_BUCKET}) is not usable: ${(err as Error).message}. ` +
        'Start it with `npm run services:up`, or point TRACELAKE_TEST_S3_ENDPOINT at one.',
        { cause: err },
      );
    } finally {
      store.close();
    }
  })();
  return reachable;
}

/** Deletes every object under `prefix` (a store prefix), then closes the helper store. */
export async function removeS3Prefix(prefix: string): Promise<void> {
  const store = new S3ObjectStore(s3TestOptions({ prefix }));
  try {
    const keys = await store.list('');
    for (let i = 0; i < keys.length; i += 32) await Promise.all(keys.slice(i, i + 32).map((k) => store.delete(k)));
  } finally {
    store.close();
  }
}
