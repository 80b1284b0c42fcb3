const WINDOW_MS = 1000;

/**
 * The Collector's debug-exporter sampling (zap's sampler): in each second the first `initial` calls pass,
 * then every `thereafter`-th; `thereafter` 0 passes none after the first ones.
 */
export class LogSampler {
  readonly #initial: number;
  readonly #thereafter: number;
  readonly #now: () => number;
  #windowStart = -Infinity;
  #count = 0;

  constructor(initial: number, thereafter: number, now: () => number = Date.now) {
    this.#initial = initial;
    this.#thereafter = thereafter;
    this.#now = now;
  }

  sample(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= WINDOW_MS) {
      this.#windowStart = now;
      this.#count = 0;
    }
    const n = ++this.#count;
    return n <= this.#initial || (this.#thereafter > 0 && (n - this.#initial) % this.#thereafter === 0);
  }
}
