import { NotFoundError, PermanentError, TracelakeError } from '../../pipeline/errors.ts';

/** What the SDK's errors carry: a service error's name (its S3 code) and the HTTP status, when there was one. */
interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** S3 codes meaning "slow down" or "try again", whatever status carries them (RequestTimeout comes as a 400). */
const TRANSIENT_CODES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'BandwidthLimitExceeded', 'RequestThrottled', 'RequestThrottledException',
  'ProvisionedThroughputExceededException', 'RequestTimeout', 'RequestTimeoutException', 'InternalError',
  'ServiceUnavailable', 'PriorRequestNotComplete', 'TimeoutError',
]);

/** Socket-level failures: the connection, not the request, went wrong. */
const TRANSIENT_NODE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EAI_AGAIN', 'ENOTFOUND', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
]);

function fields(err: unknown): SdkError {
  return typeof err === 'object' && err !== null ? (err as SdkError) : {};
}

export function httpStatusOf(err: unknown): number | undefined {
  return fields(err).$metadata?.httpStatusCode;
}

/** 5xx, 429, throttling and timeout codes, resets and timeouts of the connection: worth another attempt. */
export function isTransientS3Error(err: unknown): boolean {
  if (err instanceof TracelakeError) return false;
  const { name, code } = fields(err);
  const status = httpStatusOf(err);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (name !== undefined && TRANSIENT_CODES.has(name)) return true;
  return code !== undefined && TRANSIENT_NODE_CODES.has(code);
}

/** `SlowDown (503): Please reduce your request rate.` */
export function describeS3Error(err: unknown): string {
  const { name, code, message } = fields(err);
  const status = httpStatusOf(err);
  const label = [name === 'Error' || name === undefined ? code : name, status === undefined ? '' : `(${status})`];
  return `${label.filter(Boolean).join(' ')}: ${message ?? String(err)}`;
}

export interface S3ErrorContext {
  /** The S3 operation, e.g. `GetObject`. */
  readonly op: string;
  readonly bucket: string;
  /** The store's key (without the store prefix), as callers know it. */
  readonly key: string;
}

/** Maps the final error of an S3 request to the error catalogue; catalogue errors pass through. */
export function s3ErrorOf(err: unknown, ctx: S3ErrorContext): TracelakeError {
  if (err instanceof TracelakeError) return err;
  const { name } = fields(err);
  const status = httpStatusOf(err);
  const detail = describeS3Error(err);
  if (name === 'NoSuchBucket') {
    return new TracelakeError(`S3 bucket ${ctx.bucket} does not exist (${ctx.op} ${ctx.key})`, { cause: err });
  }
  if (name === 'NoSuchKey' || (status === 404 && name === 'NotFound')) { // NotFound: a HEAD's 404 has no body
    return new NotFoundError(`object ${ctx.key} not found`, { cause: err });
  }
  if (name === 'InvalidRange' || status === 416) {
    return new PermanentError(`range is past the end of object ${ctx.key}: ${detail}`, { cause: err });
  }
  if (status === 401 || status === 403) {
    return new TracelakeError(
      `S3 refused ${ctx.op} of ${ctx.key} in bucket ${ctx.bucket} (check the access key, secret key and the bucket's permissions): ${detail}`,
      { cause: err },
    );
  }
  return new TracelakeError(`S3 ${ctx.op} of ${ctx.key} in bucket ${ctx.bucket} failed: ${detail}`, { cause: err });
}
