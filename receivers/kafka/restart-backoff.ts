import { performance } from 'node:perf_hooks';

export interface RestartSettings {
  /** Wait before the first restart. */
  readonly initialMs: number;
  /** Longest wait; also how long a consumer must have run for the next crash to start over from initialMs. */
  readonly maxMs: number;
}

/**
 * Waits before restarting a consumer kafkajs gave up on: doubling from initialMs up to maxMs while it keeps
 * crashing soon after each restart, so a lasting cause is retried (and logged) at most every maxMs.
 */
export class RestartBackoff {
  readonly #s: RestartSettings;
  readonly #now: () => number;
  #next: number;
  #startedAt = -Infinity;

  constructor(settings: RestartSettings, now: () => number = () => performance.now()) {
    this.#s = settings;
    this.#now = now;
    this.#next = settings.initialMs;
  }

  /** A consumer started running. */
  started(): void {
    this.#startedAt = this.#now();
  }

  /** Milliseconds to wait before the next restart attempt. */
  delay(): number {
    if (this.#now() - this.#startedAt >= this.#s.maxMs) this.#next = this.#s.initialMs; // it ran a good while
    this.#startedAt = Infinity; // failed attempts until the next start keep doubling
    const delay = this.#next;
    this.#next = Math.min(this.#s.maxMs, this.#next * 2);
    return delay;
  }
}
