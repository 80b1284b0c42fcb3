import type { S3RetryPolicy } from './s3-retry.ts';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where an S3ObjectStore keeps its objects and how it talks to the server; Tempo's storage.trace.s3 keys map onto these. */
export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** `host:port` as in Tempo (https, or http when `insecure`); a full `http(s)://` URL is taken as it is. */
  readonly endpoint: string;
  /** Default: read from an AWS endpoint (`s3.eu-west-1.amazonaws.com`), else us-east-1. */
  readonly region?: string;
  /** Static credentials; without them the SDK's default chain (environment, profile, web identity, instance role). */
  readonly credentials?: S3Credentials;
  /** Plain http to the endpoint. */
  readonly insecure?: boolean;
  /**
   * Path-style requests (`endpoint/bucket/key`) always. Without it: path-style for any endpoint but AWS's own,
   * as minio-go's automatic bucket lookup (Tempo's client) does, so Tempo configs for S3-compatible servers work.
   */
  readonly forcePathStyle?: boolean;
  /** Every key lives under `<prefix>/`; `''` (default) = the bucket root. Slashes at either end are ignored. */
  readonly prefix?: string;
  /** Objects larger than this go up as a multipart upload of parts this size; 0 = never. Default 16 MiB; S3's minimum is 5 MiB. */
  readonly partSize?: number;
  /** Parts of one multipart upload in flight at once; default 4. */
  readonly partConcurrency?: number;
  readonly retry?: Partial<S3RetryPolicy>;
  /** Keep-alive sockets to the endpoint; enough for parallel ranged reads. Default 64. */
  readonly maxSockets?: number;
  /** Connecting to the endpoint; default 3000 ms (then a retry). */
  readonly connectTimeoutMs?: number;
  /** Keys per ListObjectsV2 page; default 1000 (S3's maximum). */
  readonly listPageSize?: number;
}

export const DEFAULT_S3_PART_SIZE = 16 * 1024 * 1024;
export const MIN_S3_PART_SIZE = 5 * 1024 * 1024;
