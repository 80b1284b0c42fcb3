import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '../../pipeline/errors.ts';
import { describeS3Error, isTransientS3Error } from './s3-errors.ts';

/** How one S3 request is retried: bounded attempts, full-jitter backoff, a deadline per attempt. */
export interface S3RetryPolicy {
  /** Attempts in all, the first one included; 1 = no retries. */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles per retry up to backoffMaxMs. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** One attempt (request and whole response body) is abandoned and retried after this long. */
  readonly attemptTimeoutMs: number;
}

/** Tempo's (minio-go's) backoff of 200 ms doubling to 1 s; 5 attempts rather than 10 so a dead store fails in seconds. */
export const DEFAULT_S3_RETRY_POLICY: S3RetryPolicy = Object.freeze({
  maxAttempts: 5,
  backoffInitialMs: 200,
  backoffMaxMs: 1000,
  attemptTimeoutMs: 30_000,
});

/** "Full jitter": uniform in [0, min(max, initial·2^(retry-1))), so clients that failed together spread out. */
export function fullJitterDelayMs(retry: number, policy: S3RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffInitialMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error (rethrown as it is), or the attempts
 * run out (RetryableError). Each attempt gets a signal that aborts it at the policy's deadline.
 */
export async function withS3Retries<T>(
  what: string, policy: S3RetryPolicy, attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), policy.attemptTimeoutMs);
    timer.unref();
    let failure: unknown;
    try {
      return await attempt(deadline.signal, n);
    } catch (err) {
      if (!deadline.signal.aborted && !isTransientS3Error(err)) throw err;
      failure = err;
    } finally {
      clearTimeout(timer);
    }
    const why = deadline.signal.aborted ? `timed out after ${policy.attemptTimeoutMs} ms` : describeS3Error(failure);
    if (n >= policy.maxAttempts) {
      throw new RetryableError(`${what} failed after ${n} attempts: ${why}`, { cause: failure });
    }
    // Kept ref'd, unlike the deadline: the request is still in flight, and a flush during shutdown must not
    // be cut short because its socket happened to be idle during the wait. At most backoffMaxMs.
    await sleep(fullJitterDelayMs(n, policy));
  }
}
