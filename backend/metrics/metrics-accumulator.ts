import type { MetricsNode } from '../traceql/ast.ts';
import { intrinsicValue } from '../traceql/field-eval.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import type { Value } from '../traceql/value.ts';
import { ExemplarBudget } from './exemplar-budget.ts';
import { labelValue } from './series-labels.ts';
import { bucketOf, fieldValue, measure } from './span-measure.ts';
import { intervalOf, type TimeGrid } from './time-grid.ts';

/** What a metrics function keeps per interval: a span count, value statistics, or histogram buckets. */
export type AccumulatorKind = 'count' | 'stats' | 'buckets';

/**
 * One series' state per interval, kept in a form that adds up: parts of a query (blocks, live data, later
 * jobs on other queriers) accumulate separately and merge() into one before the final numbers are made.
 */
export interface SeriesState {
  /** The by() values, in by() order, nil included. */
  readonly groups: readonly Value[];
  /** Spans (count), or values seen (stats), per interval. */
  readonly counts: number[];
  readonly sums: number[];
  /** Per interval: the Kahan compensation of `sums`; for avg_over_time `sums` holds the running mean instead. */
  readonly comps: number[];
  readonly mins: number[];
  readonly maxs: number[];
  /** Per interval: bucket bound → spans (buckets only). */
  readonly buckets: Map<number, number>[];
  readonly exemplars: ExemplarPoint[];
}

/**
 * A span picked to stand for its series: the trace it links to, its start, and its value (NaN for counting
 * functions: the answer gives it the value of its interval); histograms also keep the span's bucket.
 */
export interface ExemplarPoint {
  readonly traceId: string;
  readonly timestampMs: number;
  readonly value: number;
  readonly bucket: number | undefined;
}

/** What one span adds to a query's state: the interval of its start, its by() values, its measure (NaN: none). */
export interface MetricsSample {
  readonly interval: number;
  readonly groups: readonly Value[];
  readonly value: number;
}

/** Which state a function keeps (see AccumulatorKind). */
export function accumulatorKind(m: MetricsNode): AccumulatorKind {
  if (m.fn === 'rate' || m.fn === 'count_over_time') return 'count';
  return m.fn === 'quantile_over_time' || m.fn === 'histogram_over_time' ? 'buckets' : 'stats';
}

/** Sorts the spans a query selected into series (by the by() values) and intervals (by span start). */
export class MetricsAccumulator {
  readonly metrics: MetricsNode;
  readonly grid: TimeGrid;
  readonly kind: AccumulatorKind;
  readonly series = new Map<string, SeriesState>();

  constructor(metrics: MetricsNode, grid: TimeGrid) {
    this.metrics = metrics;
    this.grid = grid;
    this.kind = accumulatorKind(metrics);
  }

  /** Counts one selected span of `trace`; spans starting outside the grid's `(start, end]` are ignored. */
  observe(span: Span, trace: TraceModel): void {
    const sample = this.sample(span, trace);
    if (sample !== undefined) this.add(sample);
  }

  /**
   * What one selected span adds, before it is added: its interval, series and value; undefined when it
   * counts nowhere (outside the grid, no histogram bucket). A job can hold it back and add it later.
   */
  sample(span: Span, trace: TraceModel): MetricsSample | undefined {
    const interval = intervalOf(this.grid, span.startUnixNano);
    if (interval < 0) return undefined;
    const m = this.metrics;
    let value = NaN;
    if (this.kind === 'buckets') {
      const b = bucketOf(m.attr!, span, trace);
      if (b === undefined) return undefined;
      value = b;
    } else if (this.kind === 'stats') {
      value = measure(m.attr!, span, trace);
    }
    return { interval, groups: m.by.map((ref) => labelValue(fieldValue(ref, span, trace))), value };
  }

  /** Adds a sample (see sample()). */
  add(sample: MetricsSample): void {
    const { interval: i, value } = sample;
    const s = this.#seriesFor(sample.groups);
    if (this.kind === 'count') s.counts[i]++;
    else if (this.kind === 'buckets') s.buckets[i].set(value, (s.buckets[i].get(value) ?? 0) + 1);
    else if (!Number.isNaN(value)) addValue(s, i, value, this.metrics.fn === 'avg_over_time');
  }

  /** Keeps `span` as an exemplar of its series (the caller limits how many: ExemplarBudget). */
  addExemplar(span: Span, trace: TraceModel): void {
    const m = this.metrics;
    let bucket: number | undefined;
    if (this.kind === 'buckets') {
      bucket = bucketOf(m.attr!, span, trace);
      if (bucket === undefined) return;
    }
    // Counting functions take their interval's value at the end; a missing attribute reads 0, as in Tempo.
    const value = this.kind === 'count' || m.fn === 'histogram_over_time' ? NaN : measure(m.attr!, span, trace) || 0;
    const traceId = intrinsicValue('traceId', span, trace) as { value: string };
    const s = this.#seriesFor(m.by.map((ref) => labelValue(fieldValue(ref, span, trace))));
    s.exemplars.push({ traceId: traceId.value, timestampMs: Number(span.startUnixNano / 1_000_000n), value, bucket });
  }

  /** Adds another part's state (same query and grid) into this one. */
  merge(other: MetricsAccumulator): void {
    for (const [key, o] of other.series) {
      const s = this.#series(key, o.groups);
      s.exemplars.push(...o.exemplars);
      for (let i = 0; i < this.grid.intervals; i++) {
        if (this.metrics.fn === 'avg_over_time') mergeMean(s, o, i);
        else s.sums[i] += o.sums[i];
        s.counts[i] += o.counts[i];
        s.mins[i] = Math.min(s.mins[i], o.mins[i]);
        s.maxs[i] = Math.max(s.maxs[i], o.maxs[i]);
        if (this.kind === 'buckets') for (const [b, n] of o.buckets[i]) s.buckets[i].set(b, (s.buckets[i].get(b) ?? 0) + n);
      }
    }
  }

  /**
   * Keeps at most `limit` exemplars over every series, chosen as ExemplarBudget spreads them, one per trace,
   * earliest first (then by trace ID): the same choice whatever order the parts were merged in.
   */
  trimExemplars(limit: number): void {
    const all = [...this.series.values()].flatMap((s) => s.exemplars.splice(0).map((e) => ({ s, e })));
    all.sort((a, b) => a.e.timestampMs - b.e.timestampMs || (a.e.traceId < b.e.traceId ? -1 : a.e.traceId > b.e.traceId ? 1 : 0));
    const budget = new ExemplarBudget(limit, this.grid);
    const traces = new Set<string>();
    for (const { s, e } of all) {
      if (!budget.open) break;
      if (traces.has(e.traceId) || !budget.take(e.timestampMs)) continue;
      traces.add(e.traceId);
      s.exemplars.push(e);
    }
  }

  #seriesFor(groups: readonly Value[]): SeriesState {
    const key = JSON.stringify(groups.map((v) => (v.type === 'nil' ? ['nil'] : [v.type, v.value])));
    return this.#series(key, groups);
  }

  #series(key: string, groups: readonly Value[]): SeriesState {
    let s = this.series.get(key);
    if (s === undefined) {
      const n = this.grid.intervals;
      s = {
        groups,
        counts: new Array<number>(n).fill(0),
        sums: new Array<number>(n).fill(0),
        comps: new Array<number>(n).fill(0),
        mins: new Array<number>(n).fill(Infinity),
        maxs: new Array<number>(n).fill(-Infinity),
        buckets: Array.from({ length: this.kind === 'buckets' ? n : 0 }, () => new Map<number, number>()),
        exemplars: [],
      };
      this.series.set(key, s);
    }
    return s;
  }
}

function addValue(s: SeriesState, i: number, value: number, mean: boolean): void {
  if (s.counts[i] === 0) s.sums[i] = value;
  else if (mean) kahanMean(s, i, value);
  else kahanAdd(s, i, value);
  s.counts[i]++;
  if (value < s.mins[i]) s.mins[i] = value;
  if (value > s.maxs[i]) s.maxs[i] = value;
}

/**
 * Tempo's sum_over_time step (sumOverTime with Prometheus' kahanSumInc, Neumaier's variant), so that sums
 * of a single part match Tempo's to the bit: the compensation is taken off the next value, not added at the end.
 */
function kahanAdd(s: SeriesState, i: number, value: number): void {
  const sum = s.sums[i];
  const y = value - s.comps[i];
  const t = sum + y;
  if (!Number.isFinite(t)) s.comps[i] = 0;
  else if (Math.abs(sum) >= Math.abs(y)) s.comps[i] = (sum - t) + y;
  else s.comps[i] = (y - t) + sum;
  s.sums[i] = t;
}

/**
 * Tempo's avg_over_time step (addIncrementMean): the mean moves by value/n - mean/n, Kahan-summed, with the
 * compensation kept apart and added at the end (mean + compensation).
 */
function kahanMean(s: SeriesState, i: number, value: number): void {
  const n = s.counts[i] + 1;
  const mean = s.sums[i];
  if (!Number.isFinite(mean)) return;
  const inc = value / n - mean / n;
  const t = mean + inc;
  if (!Number.isFinite(t)) s.comps[i] = 0;
  else if (Math.abs(mean) >= Math.abs(inc)) s.comps[i] += (mean - t) + inc;
  else s.comps[i] += (inc - t) + mean;
  s.sums[i] = t;
}

/** Two parts' means of one interval weighted by their counts (before the counts are added). */
function mergeMean(s: SeriesState, o: SeriesState, i: number): void {
  if (o.counts[i] === 0) return;
  if (s.counts[i] === 0) {
    s.sums[i] = o.sums[i];
    s.comps[i] = o.comps[i];
    return;
  }
  const mean = s.sums[i] + s.comps[i];
  s.sums[i] = mean + ((o.sums[i] + o.comps[i] - mean) * o.counts[i]) / (s.counts[i] + o.counts[i]);
  s.comps[i] = 0;
}
