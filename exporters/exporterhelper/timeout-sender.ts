import { RetryableError } from '../../pipeline/errors.ts';
import type { PushTraces } from './push.ts';

/**
 * Bounds each attempt to `timeoutMs` (0 = no bound): past it the attempt fails with a RetryableError and
 * its signal aborts. A push that ignores the signal goes on in the background; its late outcome is dropped.
 */
export function withTimeout(push: PushTraces, timeoutMs: number): PushTraces {
  if (timeoutMs <= 0) return push;
  return (batch, ctx, signal) => {
    const attempt = new AbortController();
    const abort = (): void => attempt.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new RetryableError(`export timed out after ${timeoutMs} ms`);
        reject(err); // first, so the race reports the timeout rather than the attempt's reaction to the abort
        attempt.abort(err);
      }, timeoutMs).unref();
    });
    const pushed = push(batch, ctx, attempt.signal);
    pushed.catch(() => {}); // an attempt that lost the race settles unobserved
    return Promise.race([pushed, expired]).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    });
  };
}
