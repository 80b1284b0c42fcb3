import type { Logger } from 'pino';
import { RetryableError } from '../../pipeline/errors.ts';
import { abortableDelay } from '../../pipeline/abortable-delay.ts';
import { ExponentialBackoff } from './backoff.ts';
import { isRetryable } from './is-retryable.ts';
import type { PushTraces } from './push.ts';
import type { RetrySettings } from './settings.ts';

export interface RetryOptions {
  readonly settings: RetrySettings;
  readonly logger: Logger;
  /** Aborts the wait between attempts when the exporter shuts down. */
  readonly stop: AbortSignal;
  /** For tests. */
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * Retries failed attempts with exponential backoff, as the Collector's retry sender: permanent failures
 * are returned at once; transient ones are retried until `max_elapsed_time` or shutdown, then returned as
 * a RetryableError whose cause is the last failure (the client is told to come back later).
 */
export function withRetry(push: PushTraces, options: RetryOptions): PushTraces {
  const { settings, logger, stop } = options;
  if (!settings.enabled) return push;
  const now = options.now ?? Date.now;
  return async (batch, ctx, signal) => {
    const backoff = new ExponentialBackoff(settings, options.random);
    const started = now();
    for (;;) {
      let failure: unknown;
      try {
        return await push(batch, ctx, signal);
      } catch (err) {
        failure = err;
      }
      if (!isRetryable(failure)) throw failure;
      const waitMs = backoff.next(now() - started);
      if (waitMs === undefined) throw giveUp('no more retries left', failure);
      logger.info({ err: failure, waitMs: Math.round(waitMs) }, 'export failed, will retry');
      if (!await abortableDelay(waitMs, AbortSignal.any([stop, signal]))) {
        throw giveUp('retry interrupted by shutdown', failure);
      }
    }
  };
}

function giveUp(why: string, failure: unknown): RetryableError {
  const detail = failure instanceof Error ? failure.message : String(failure);
  const retryAfterSeconds = failure instanceof RetryableError ? failure.retryAfterSeconds : undefined;
  return new RetryableError(`${why}: ${detail}`, { cause: failure, retryAfterSeconds });
}
