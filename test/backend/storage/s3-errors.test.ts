import assert from 'node:assert/strict';
import { isTransientS3Error, s3ErrorOf } from '../../../backend/storage/s3-errors.ts';
import { NotFoundError, PermanentError, RetryableError, TracelakeError } from '../../../pipeline/errors.ts';

function s3Error(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error(`${name} happened`), { name, code, $metadata: { httpStatusCode: status } });
}

describe('isTransientS3Error', () => {
  it('retries 5xx, 429, throttling and timeout codes, and connection failures', () => {
    for (const err of [
      s3Error('InternalError', 500), s3Error('SlowDown', 503), s3Error('Unknown', 502), s3Error('TooManyRequests', 429),
      s3Error('RequestTimeout', 400), s3Error('TimeoutError'), s3Error('Error', undefined, 'ECONNRESET'),
      s3Error('Error', undefined, 'ECONNREFUSED'), s3Error('Error', undefined, 'EPIPE'),
    ]) {
      assert.equal(isTransientS3Error(err), true, `${err.name} ${(err as { code?: string }).code}`);
    }
  });

  it('does not retry other 4xx, nor errors of the catalogue', () => {
    for (const err of [
      s3Error('NoSuchKey', 404), s3Error('AccessDenied', 403), s3Error('SignatureDoesNotMatch', 403),
      s3Error('InvalidRange', 416), s3Error('EntityTooSmall', 400), new PermanentError('short read'), new TypeError('bug'),
    ]) {
      assert.equal(isTransientS3Error(err), false, err.name);
    }
  });
});

describe('s3ErrorOf', () => {
  const ctx = { op: 'GetObject', bucket: 'b', key: 't/x' };

  it('maps missing keys, bad ranges, refusals and missing buckets to the catalogue', () => {
    assert.ok(s3ErrorOf(s3Error('NoSuchKey', 404), ctx) instanceof NotFoundError);
    assert.ok(s3ErrorOf(s3Error('NotFound', 404), { ...ctx, op: 'HeadObject' }) instanceof NotFoundError);
    assert.ok(s3ErrorOf(s3Error('InvalidRange', 416), ctx) instanceof PermanentError);
    const denied = s3ErrorOf(s3Error('AccessDenied', 403), ctx);
    assert.equal(denied.constructor, TracelakeError);
    assert.match(denied.message, /^S3 refused GetObject of t\/x in bucket b \(check the access key, secret key and the bucket's permissions\): AccessDenied \(403\)/);
    const bucket = s3ErrorOf(s3Error('NoSuchBucket', 404), ctx);
    assert.ok(!(bucket instanceof NotFoundError));
    assert.match(bucket.message, /bucket b does not exist/);
  });

  it('passes errors of the catalogue through unchanged', () => {
    const err = new RetryableError('gave up');
    assert.equal(s3ErrorOf(err, ctx), err);
  });
});
