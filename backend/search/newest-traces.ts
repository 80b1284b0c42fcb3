import type { TraceResultJson } from './trace-result.ts';

/**
 * The `limit` newest traces (by start) of those added, in bounded memory: a job keeps no more, since a trace
 * with `limit` newer ones in the same job can be in no answer (merging parts only makes a start earlier).
 */
export class NewestTraces {
  readonly #limit: number;
  #traces: TraceResultJson[] = [];
  readonly #ids = new Set<string>();
  /** Start of the `limit`-th newest trace when last trimmed: an older one can be in no answer. */
  #floor: bigint | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(trace: TraceResultJson): void {
    this.#traces.push(trace);
    if (this.#ids.size < this.#limit) this.#ids.add(trace.traceID);
    if (this.#traces.length >= 2 * this.#limit + 64) {
      this.#traces = this.list();
      this.#floor = BigInt(this.#traces[this.#limit - 1]!.startTimeUnixNano);
    }
  }

  /** Whether a trace starting at `startUnixNano` could still be kept: building its result is worth it. */
  wouldKeep(startUnixNano: bigint): boolean {
    return this.#floor === undefined || startUnixNano >= this.#floor;
  }

  /** Whether a job may stop: it holds `limit` distinct traces and the search takes the first ones found. */
  enoughFor(search: { readonly mostRecent: boolean }): boolean {
    return !search.mostRecent && this.#ids.size >= this.#limit;
  }

  /** Newest first, ties by trace ID. */
  list(): TraceResultJson[] {
    return this.#traces.sort(newestFirst).slice(0, this.#limit);
  }
}

/** By start time (decimal nanoseconds), newest first; ties by ID. */
export function newestFirst(a: TraceResultJson, b: TraceResultJson): number {
  return compareNanos(b.startTimeUnixNano, a.startTimeUnixNano) || (a.traceID < b.traceID ? -1 : a.traceID > b.traceID ? 1 : 0);
}

/**
 * Orders two unix-nanosecond timestamps written as decimal strings without leading zeros (as results
 * carry them): the longer is the later, equal lengths compare as text. No BigInt per comparison: sorting a
 * few hundred thousand results stays cheap.
 */
export function compareNanos(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
