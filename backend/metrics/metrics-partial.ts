import { MetricsAccumulator, type SeriesState } from './metrics-accumulator.ts';

/**
 * One series of a job's state as plain data (histogram buckets as [bound, spans] pairs), so that it crosses
 * to another thread by structured clone and to another process as JSON (metrics-job-json.ts).
 */
export type SeriesPartial = Omit<SeriesState, 'buckets'> & {
  readonly key: string;
  readonly buckets: [number, number][][];
};

/** A job's series, as partialOf() gives them. */
export type MetricsPartial = readonly SeriesPartial[];

/** The accumulator's state as plain data. */
export function partialOf(acc: MetricsAccumulator): SeriesPartial[] {
  return [...acc.series].map(([key, s]) => ({
    key, groups: s.groups, counts: s.counts, sums: s.sums, comps: s.comps, mins: s.mins, maxs: s.maxs,
    buckets: s.buckets.map((b) => [...b]), exemplars: s.exemplars,
  }));
}

/** Merges a part's plain state (same query and grid) into `acc`, as MetricsAccumulator.merge() does. */
export function mergePartial(acc: MetricsAccumulator, partial: MetricsPartial): void {
  const part = new MetricsAccumulator(acc.metrics, acc.grid);
  for (const p of partial) part.series.set(p.key, { ...p, buckets: p.buckets.map((b) => new Map(b)) });
  acc.merge(part);
}
