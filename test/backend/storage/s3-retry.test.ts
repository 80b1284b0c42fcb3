import assert from 'node:assert/strict';
import { fullJitterDelayMs, withS3Retries, type S3RetryPolicy } from '../../../backend/storage/s3-retry.ts';
import { RetryableError } from '../../../pipeline/errors.ts';

const policy: S3RetryPolicy = { maxAttempts: 4, backoffInitialMs: 1, backoffMaxMs: 4, attemptTimeoutMs: 1000 };

function s3Error(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error(`${name} happened`), { name, code, $metadata: { httpStatusCode: status } });
}

describe('fullJitterDelayMs', () => {
  const wide = { ...policy, backoffInitialMs: 200, backoffMaxMs: 1000 };

  it('stays under a ceiling that doubles per retry up to the maximum', () => {
    const almostOne = () => 0.9999;
    assert.deepEqual([1, 2, 3, 4, 9].map((r) => fullJitterDelayMs(r, wide, almostOne)), [199, 399, 799, 999, 999]);
  });

  it('can be anything down to zero', () => {
    assert.equal(fullJitterDelayMs(3, wide, () => 0), 0);
    assert.equal(fullJitterDelayMs(3, wide, () => 0.5), 400);
  });
});

describe('withS3Retries', () => {
  it('retries transient failures until an attempt succeeds', async () => {
    const attempts: number[] = [];
    const result = await withS3Retries('op', policy, async (_signal, n) => {
      attempts.push(n);
      if (n < 3) throw s3Error('SlowDown', 503);
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.deepEqual(attempts, [1, 2, 3]);
  });

  it('rethrows a non-transient failure at once, unchanged', async () => {
    let calls = 0;
    const denied = s3Error('AccessDenied', 403);
    await assert.rejects(withS3Retries('op', policy, async () => {
      calls++;
      throw denied;
    }), (err) => err === denied);
    assert.equal(calls, 1);
  });

  it('gives up after maxAttempts with a RetryableError naming the last failure', async () => {
    let calls = 0;
    const last = s3Error('InternalError', 500);
    await assert.rejects(withS3Retries('S3 PutObject of k', policy, async () => {
      calls++;
      throw last;
    }), (err: Error) => {
      assert.ok(err instanceof RetryableError);
      assert.equal(err.message, 'S3 PutObject of k failed after 4 attempts: InternalError (500): InternalError happened');
      assert.equal(err.cause, last);
      return true;
    });
    assert.equal(calls, 4);
  });

  it('aborts an attempt at its deadline and retries it', async () => {
    const signals: AbortSignal[] = [];
    const result = await withS3Retries('op', { ...policy, attemptTimeoutMs: 20 }, (signal, n) => {
      signals.push(signal);
      if (n > 1) return Promise.resolve(n);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    assert.equal(result, 2);
    assert.deepEqual(signals.map((s) => s.aborted), [true, false]);
  });
});
