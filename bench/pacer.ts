import { setTimeout as sleep } from 'node:timers/promises';

/** Hands out evenly spaced start times to any number of loops: `perSecond` starts per second in all. */
export class Pacer {
  readonly #intervalMs: number;
  #nextAt = performance.now();

  constructor(perSecond: number) {
    this.#intervalMs = 1000 / perSecond;
  }

  async next(): Promise<void> {
    const at = this.#nextAt;
    this.#nextAt = Math.max(at, performance.now() - 1000) + this.#intervalMs;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
  }
}
