import { labelKey, type SeriesLabel } from './series-labels.ts';
import type { ExemplarPoint, MetricsAccumulator, SeriesState } from './metrics-accumulator.ts';
import { log2Quantile, type HistogramBucket } from './log2-histogram.ts';
import { stepSeconds } from './time-grid.ts';

/** A finished series: its labels, one value per interval (NaN = no sample there), and its exemplars. */
export interface OutputSeries {
  readonly labels: SeriesLabel[];
  readonly values: number[];
  readonly exemplars: readonly ExemplarPoint[];
}

/**
 * The final series of a query, as Tempo makes them:
 * - rate() = spans per second of step, count_over_time() = spans (0 where none);
 * - min/max/sum/avg_over_time(): NaN where the interval saw no value;
 * - histogram_over_time(): one series per bucket, labelled `__bucket`, spans per interval;
 * - quantile_over_time(): one series per quantile, labelled `p`, interpolated per interval (0 where none).
 * Without by(), a series is named `{__name__="<function>"}` (histograms and quantiles by their own label).
 */
export function outputSeries(acc: MetricsAccumulator): OutputSeries[] {
  const out: OutputSeries[] = [];
  const m = acc.metrics;
  const thresholds = m.fn === 'quantile_over_time' ? overallQuantiles(acc, m.quantiles) : [];
  for (const s of acc.series.values()) {
    const labels = groupLabels(acc, s);
    const exemplars = s.exemplars;
    switch (m.fn) {
      case 'rate': {
        const perSecond = 1 / stepSeconds(acc.grid);
        out.push({ labels, values: s.counts.map((c) => c * perSecond), exemplars });
        break;
      }
      case 'count_over_time': out.push({ labels, values: [...s.counts], exemplars }); break;
      case 'sum_over_time': out.push({ labels, values: s.sums.map((v, i) => (s.counts[i] > 0 ? v : NaN)), exemplars }); break;
      case 'avg_over_time': out.push({ labels, values: s.sums.map((v, i) => (s.counts[i] > 0 ? v + s.comps[i] : NaN)), exemplars }); break;
      case 'min_over_time': out.push({ labels, values: s.mins.map((v, i) => (s.counts[i] > 0 ? v : NaN)), exemplars }); break;
      case 'max_over_time': out.push({ labels, values: s.maxs.map((v, i) => (s.counts[i] > 0 ? v : NaN)), exemplars }); break;
      case 'histogram_over_time': out.push(...histogramSeries(labels, s)); break;
      case 'quantile_over_time': out.push(...quantileSeries(labels, s, m.quantiles, thresholds)); break;
    }
  }
  return out;
}

/** by() labels with nils dropped; all nil keeps the first as nil; no by() names the function. */
function groupLabels(acc: MetricsAccumulator, s: SeriesState): SeriesLabel[] {
  const by = acc.metrics.by;
  if (by.length === 0) return acc.kind === 'buckets' ? [] : [{ key: '__name__', value: { type: 'string', value: acc.metrics.fn } }];
  const labels: SeriesLabel[] = [];
  s.groups.forEach((value, i) => {
    if (value.type !== 'nil') labels.push({ key: labelKey(by[i]), value });
  });
  if (labels.length === 0 && acc.kind !== 'buckets') labels.push({ key: labelKey(by[0]), value: s.groups[0] });
  return labels;
}

function histogramSeries(labels: SeriesLabel[], s: SeriesState): OutputSeries[] {
  const bounds = new Set<number>();
  for (const interval of s.buckets) for (const b of interval.keys()) bounds.add(b);
  return [...bounds].map((b) => ({
    labels: [...labels, { key: '__bucket', value: { type: 'float', value: b } }],
    values: s.buckets.map((interval) => interval.get(b) ?? 0),
    exemplars: s.exemplars.filter((e) => e.bucket === b),
  }));
}

function quantileSeries(labels: SeriesLabel[], s: SeriesState, quantiles: readonly number[], thresholds: readonly number[]): OutputSeries[] {
  const sorted: HistogramBucket[][] = s.buckets.map(sortedBuckets);
  return quantiles.map((q, qi) => ({
    labels: [...labels, { key: 'p', value: { type: 'float', value: q } }],
    values: sorted.map((buckets) => (buckets.length === 0 ? 0 : log2Quantile(q, buckets))),
    exemplars: s.exemplars.filter((e) => quantileOf(e.value, thresholds) === qi),
  }));
}

function sortedBuckets(counts: ReadonlyMap<number, number>): HistogramBucket[] {
  return [...counts].map(([max, count]) => ({ max, count })).sort((a, b) => a.max - b.max);
}

/** Each quantile over every series and interval together: the thresholds exemplars are sorted into. */
function overallQuantiles(acc: MetricsAccumulator, quantiles: readonly number[]): number[] {
  const all = new Map<number, number>();
  for (const s of acc.series.values()) for (const interval of s.buckets) for (const [b, n] of interval) all.set(b, (all.get(b) ?? 0) + n);
  const buckets = sortedBuckets(all);
  return quantiles.map((q) => log2Quantile(q, buckets));
}

/** The first quantile whose threshold is at or above the value, else the last (Tempo's determineTargetQuantile). */
function quantileOf(value: number, thresholds: readonly number[]): number {
  const i = thresholds.findIndex((t) => value <= t);
  return i < 0 ? thresholds.length - 1 : i;
}
