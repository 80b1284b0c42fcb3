import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
  type ListObjectsV2CommandOutput, type S3Client,
} from '@aws-sdk/client-s3';
import { ConfigError, NotFoundError, PermanentError, TracelakeError } from '../../pipeline/errors.ts';
import { checkKey, checkPrefix, folderPrefix } from './object-key.ts';
import type { ObjectStore } from './object-store.ts';
import { readS3Body } from './s3-body.ts';
import { createS3Client } from './s3-client.ts';
import { s3ErrorOf } from './s3-errors.ts';
import { putMultipart } from './s3-multipart.ts';
import { DEFAULT_S3_PART_SIZE, MIN_S3_PART_SIZE, type S3ObjectStoreOptions } from './s3-object-store-options.ts';
import { DEFAULT_S3_RETRY_POLICY, withS3Retries, type S3RetryPolicy } from './s3-retry.ts';

/**
 * An ObjectStore over an S3 bucket (AWS or S3-compatible), every key under `<prefix>/`. Each request is
 * retried on its own (5xx, throttling, timeouts, resets); objects above the part size go up in parts.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  /** `''` or `<prefix>/`: what every S3 key starts with. */
  readonly keyPrefix: string;
  readonly #client: S3Client;
  readonly #retry: S3RetryPolicy;
  readonly #partSize: number;
  readonly #partConcurrency: number;
  readonly #pageSize: number;

  /** Throws ConfigError for a missing bucket, a prefix that is not a valid key, or a part size under 5 MiB. */
  constructor(options: S3ObjectStoreOptions) {
    if (options.bucket === '') throw new ConfigError('S3 bucket name is empty');
    this.bucket = options.bucket;
    this.keyPrefix = normalizedPrefix(options.prefix ?? '');
    this.#partSize = options.partSize ?? DEFAULT_S3_PART_SIZE;
    if (this.#partSize !== 0 && !(this.#partSize >= MIN_S3_PART_SIZE)) {
      throw new ConfigError(`S3 part size ${this.#partSize} is under S3's minimum of ${MIN_S3_PART_SIZE} bytes`);
    }
    this.#partConcurrency = options.partConcurrency ?? 4;
    this.#pageSize = options.listPageSize ?? 1000;
    this.#retry = { ...DEFAULT_S3_RETRY_POLICY, ...options.retry };
    this.#client = createS3Client(options);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const Key = this.#s3Key(key);
    if (this.#partSize > 0 && data.length > this.#partSize) {
      const upload = { client: this.#client, bucket: this.bucket, key: Key, data, retry: this.#retry };
      return this.#mapped('multipart upload', key, () =>
        putMultipart({ ...upload, partSize: this.#partSize, concurrency: this.#partConcurrency }));
    }
    await this.#attempts('PutObject', key, (abortSignal) =>
      this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: data, ContentLength: data.length }), { abortSignal }));
  }

  async get(key: string): Promise<Uint8Array> {
    const Key = this.#s3Key(key);
    return this.#attempts('GetObject', key, async (abortSignal) => {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key }), { abortSignal });
      return readS3Body(out.Body, abortSignal);
    });
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new PermanentError(`invalid range ${offset}+${length} of object ${key}`);
    }
    const Key = this.#s3Key(key);
    if (length === 0) return this.#emptyRange(key, offset);
    const Range = `bytes=${offset}-${offset + length - 1}`;
    return this.#attempts('GetObject', key, async (abortSignal) => {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range }), { abortSignal });
      // Without Content-Range the server ignored Range and sends the whole object.
      const ranged = out.ContentRange !== undefined;
      const body = await readS3Body(out.Body, abortSignal, ranged ? length : Infinity);
      const got = ranged ? body : body.slice(offset, offset + length);
      if (got.length !== length) {
        const size = ranged ? out.ContentRange!.split('/')[1] : String(body.length);
        throw new PermanentError(`range ${offset}+${length} is past the end of object ${key} (${size} bytes)`);
      }
      return got;
    });
  }

  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const keys: string[] = [];
    await this.#pages(this.keyPrefix + prefix, undefined, (page) => {
      for (const { Key } of page.Contents ?? []) if (Key?.startsWith(this.keyPrefix)) keys.push(Key.slice(this.keyPrefix.length));
    });
    return keys;
  }

  async listDirs(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const folder = this.keyPrefix + folderPrefix(prefix);
    const dirs: string[] = [];
    await this.#pages(folder, '/', (page) => {
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        const name = Prefix?.startsWith(folder) ? Prefix.slice(folder.length, -1) : '';
        if (name !== '') dirs.push(name);
      }
    });
    return dirs;
  }

  async delete(key: string): Promise<void> {
    const Key = this.#s3Key(key);
    try {
      await this.#attempts('DeleteObject', key, (abortSignal) =>
        this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }), { abortSignal }));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  /** Closes the client's keep-alive sockets; the store is unusable afterwards. */
  close(): void {
    this.#client.destroy();
  }

  /** A zero-length range still needs the object to exist and reach `offset`. */
  async #emptyRange(key: string, offset: number): Promise<Uint8Array> {
    const Key = this.#s3Key(key);
    const head = await this.#attempts('HeadObject', key, (abortSignal) =>
      this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }), { abortSignal }));
    const size = head.ContentLength ?? 0;
    if (offset > size) throw new PermanentError(`range ${offset}+0 is past the end of object ${key} (${size} bytes)`);
    return new Uint8Array(0);
  }

  async #pages(Prefix: string, Delimiter: string | undefined, visit: (page: ListObjectsV2CommandOutput) => void): Promise<void> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.#attempts('ListObjectsV2', Prefix, (abortSignal) => this.#client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix, Delimiter, MaxKeys: this.#pageSize, ContinuationToken }),
        { abortSignal },
      ));
      visit(page);
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
  }

  #attempts<T>(op: string, key: string, attempt: (signal: AbortSignal, n: number) => Promise<T>): Promise<T> {
    return this.#mapped(op, key, () => withS3Retries(`S3 ${op} of ${key}`, this.#retry, attempt));
  }

  async #mapped<T>(op: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw s3ErrorOf(err, { op, bucket: this.bucket, key });
    }
  }

  #s3Key(key: string): string {
    checkKey(key);
    return this.keyPrefix + key;
  }
}

/** `''` or `a/b/`; the prefix must itself be a valid key, so nothing it names escapes the bucket's tree. */
function normalizedPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  try {
    checkKey(trimmed);
  } catch (err) {
    throw new ConfigError(`invalid S3 prefix ${JSON.stringify(prefix)}: ${(err as TracelakeError).message}`, { cause: err });
  }
  return `${trimmed}/`;
}
