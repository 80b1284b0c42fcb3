import type { BackoffSettings } from './settings.ts';

/**
 * Exponential backoff with jitter (the Collector's configretry), shared by the records of one partition:
 * a failure that happened before the partition last made progress is retried at once, since the pipeline
 * accepted something after it.
 */
export class Backoff {
  readonly #s: BackoffSettings;
  readonly #random: () => number;
  #interval: number;
  #lastProgressAt = -Infinity;

  constructor(settings: BackoffSettings, random: () => number = Math.random) {
    this.#s = settings;
    this.#random = random;
    this.#interval = settings.initialMs;
  }

  /** Milliseconds to wait before retrying a record whose last attempt failed at `failedAt`. */
  delay(failedAt: number): number {
    if (failedAt < this.#lastProgressAt) return 0;
    const { randomizationFactor: f, multiplier, maxMs } = this.#s;
    const delay = this.#interval * (1 - f + 2 * f * this.#random());
    this.#interval = Math.min(maxMs, this.#interval * multiplier);
    return delay;
  }

  /** The pipeline accepted a record at `at`: start over from the initial interval. */
  progressed(at: number): void {
    this.#lastProgressAt = Math.max(this.#lastProgressAt, at);
    this.#interval = this.#s.initialMs;
  }

  /** Whether `on_error: true` gives up a record that first failed at `since`. */
  givesUp(since: number, now: number): boolean {
    if (!this.#s.enabled) return true;
    return this.#s.maxElapsedMs > 0 && now - since >= this.#s.maxElapsedMs;
  }
}
