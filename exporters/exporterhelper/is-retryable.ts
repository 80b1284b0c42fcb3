import { RetryableError, TracelakeError } from '../../pipeline/errors.ts';

/**
 * Whether another attempt may succeed: a RetryableError, or an error from outside the catalogue (a network
 * failure, a client library's error), which the Collector too takes as transient. Every other catalogued
 * error (PermanentError, UnauthorizedError, …) says the data itself is refused.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof RetryableError || !(err instanceof TracelakeError);
}
