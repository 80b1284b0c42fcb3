import type { RetrySettings } from './settings.ts';

/**
 * Exponential backoff as the Collector's (cenkalti/backoff ExponentialBackOff): each wait is the current
 * interval randomized by ± randomization_factor; the interval then grows by `multiplier` up to
 * `max_interval`; undefined once the next wait would end past `max_elapsed_time`.
 */
export class ExponentialBackoff {
  readonly #settings: RetrySettings;
  readonly #random: () => number;
  #intervalMs: number;

  constructor(settings: RetrySettings, random: () => number = Math.random) {
    this.#settings = settings;
    this.#random = random;
    this.#intervalMs = settings.initialIntervalMs;
  }

  /** The next wait in ms, given the time since the first attempt; undefined = give up. */
  next(elapsedMs: number): number | undefined {
    const { randomizationFactor, multiplier, maxIntervalMs, maxElapsedMs } = this.#settings;
    const delta = randomizationFactor * this.#intervalMs;
    const low = this.#intervalMs - delta;
    const wait = low + this.#random() * (2 * delta);
    this.#intervalMs = this.#intervalMs >= maxIntervalMs / multiplier
      ? maxIntervalMs
      : this.#intervalMs * multiplier;
    if (maxElapsedMs > 0 && elapsedMs + wait > maxElapsedMs) return undefined;
    return wait;
  }
}
