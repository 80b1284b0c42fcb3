import type { TimeGrid } from './time-grid.ts';

/** Exemplars in one time bucket at most (Tempo's maxExemplarsPerBucket). */
const PER_BUCKET = 2;
/** Exemplars a query returns at most, and when the request names none (Tempo's default max_exemplars). */
export const MAX_EXEMPLARS = 100;

/**
 * How many exemplars a query may still take, spread over its range as Tempo's bucketSet spreads them: the
 * range is cut into limit/2 buckets of time, each taking two at most, `limit` in all.
 */
export class ExemplarBudget {
  readonly #limit: number;
  readonly #startMs: number;
  readonly #bucketMs: number;
  readonly #counts: number[];
  #total = 0;

  constructor(limit: number, grid: TimeGrid) {
    this.#limit = limit;
    const buckets = Math.max(1, Math.floor(limit / PER_BUCKET));
    this.#startMs = Number(grid.start / 1_000_000n);
    this.#bucketMs = Math.max(1, Math.ceil(Number((grid.end - grid.start) / 1_000_000n) / buckets));
    this.#counts = new Array<number>(buckets).fill(0);
  }

  /** Whether more exemplars may come at all. */
  get open(): boolean {
    return this.#total < this.#limit;
  }

  /** Takes a place for an exemplar at `ms` (unix milliseconds); false when its bucket or the budget is full. */
  take(ms: number): boolean {
    if (!this.open) return false;
    const b = Math.min(this.#counts.length - 1, Math.max(0, Math.floor((ms - this.#startMs) / this.#bucketMs)));
    if (this.#counts[b] >= PER_BUCKET) return false;
    this.#counts[b]++;
    this.#total++;
    return true;
  }
}
