/**
 * The intervals of a metrics query, in unix nanoseconds, as Tempo cuts them (pkg/traceql/engine_metrics.go):
 * intervals are closed on the right, `(start, start+step]`, `(start+step, start+2·step]` …, and each sample
 * is stamped with its interval's right edge. A range query is aligned first (AlignRequest): start rounded
 * down and end up to the step, then start moved one step earlier, so the first sample sits at the aligned
 * start. An instant query is one interval, `(start, end]`, not aligned.
 */
export interface TimeGrid {
  readonly start: bigint;
  readonly end: bigint;
  readonly step: bigint;
  readonly instant: boolean;
  readonly intervals: number;
}

/** The grid of `/api/metrics/query_range` (after Tempo's AlignRequest). */
export function rangeGrid(start: bigint, end: bigint, step: bigint): TimeGrid {
  if (end - start === step) return instantGrid(start, end);
  let s = start - (start % step);
  const mod = end % step;
  const e = mod === 0n ? end : end + (step - mod);
  if (s > step) s -= step;
  return { start: s, end: e, step, instant: false, intervals: Number((e - s) / step) };
}

/** The grid of `/api/metrics/query`: one interval over the whole range. */
export function instantGrid(start: bigint, end: bigint): TimeGrid {
  return { start, end, step: end - start, instant: true, intervals: 1 };
}

/** The interval a span starting at `ts` counts in; -1 when outside `(start, end]`. */
export function intervalOf(grid: TimeGrid, ts: bigint): number {
  if (ts <= grid.start || ts > grid.end) return -1;
  const offset = ts - grid.start;
  const i = offset / grid.step;
  return Number(i * grid.step === offset ? i - 1n : i);
}

/** Unix milliseconds of interval `i`'s sample (its right edge), as the decimal string gogo JSON writes. */
export function sampleTimestampMs(grid: TimeGrid, i: number): string {
  return String((grid.start + BigInt(i + 1) * grid.step) / 1_000_000n);
}

/** The step in seconds as Go's time.Duration.Seconds() computes it (rate() divides by it). */
export function stepSeconds(grid: TimeGrid): number {
  return Number(grid.step / 1_000_000_000n) + Number(grid.step % 1_000_000_000n) / 1e9;
}

/** The grid as whole unix seconds, inclusive, covering `(start, end]`: what sources and block lists take. */
export function secondsRange(grid: TimeGrid): { start: number; end: number } {
  const second = 1_000_000_000n;
  return { start: Number(grid.start / second), end: Number((grid.end + second - 1n) / second) };
}
