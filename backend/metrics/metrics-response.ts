import type { OutputSeries } from './series-output.ts';
import { labelsJson, promLabels, type KeyValueJson } from './series-labels.ts';
import { intervalOf, sampleTimestampMs, type TimeGrid } from './time-grid.ts';

/** tempopb.Sample as gogo JSON: int64 milliseconds as a string, `value` omitted when 0. */
export interface SampleJson {
  readonly timestampMs: string;
  readonly value?: number;
}

/** tempopb.Exemplar: the trace it links to (`trace:id`), a value, and its time. */
export interface ExemplarJson {
  readonly labels: KeyValueJson[];
  readonly value?: number;
  readonly timestampMs: string;
}

/** tempopb.TimeSeries: labels, their Prometheus text, samples and exemplars (none: no key). */
export interface TimeSeriesJson {
  readonly labels: KeyValueJson[];
  readonly samples: SampleJson[];
  readonly promLabels: string;
  readonly exemplars?: ExemplarJson[];
}

/** tempopb.InstantSeries: one value per series (omitted when 0). */
export interface InstantSeriesJson {
  readonly labels: KeyValueJson[];
  readonly promLabels: string;
  readonly value?: number;
}

/** Tempo's SearchMetrics in a metrics answer (uint64 as strings, zeros omitted). */
export interface MetricsStatsJson {
  readonly inspectedTraces?: number;
  readonly inspectedBytes?: string;
  readonly inspectedSpans?: string;
  readonly totalBlocks?: number;
  readonly totalJobs?: number;
  readonly completedJobs?: number;
}

/** QueryRangeResponse as JSON: no `series` key when there are none. */
export interface QueryRangeResponseJson {
  readonly series?: TimeSeriesJson[];
  readonly metrics: MetricsStatsJson;
}

/** QueryInstantResponse as JSON. */
export interface QueryInstantResponseJson {
  readonly series?: InstantSeriesJson[];
  readonly metrics: MetricsStatsJson;
}

/** What a query looked at. */
export interface MetricsStats {
  inspectedTraces: number;
  inspectedBytes: number;
  inspectedSpans: number;
  totalBlocks: number;
  /** Jobs the query ran (each ran to the end). */
  totalJobs: number;
}

/**
 * The answer Tempo gives: series sorted by their Prometheus text, samples in time order, intervals without
 * a value (NaN) left out, and series without any sample left out.
 */
export function queryRangeResponse(series: readonly OutputSeries[], grid: TimeGrid, stats: MetricsStats): QueryRangeResponseJson {
  const out: TimeSeriesJson[] = [];
  for (const s of series) {
    const samples: SampleJson[] = [];
    s.values.forEach((v, i) => {
      if (!Number.isNaN(v)) samples.push(v === 0 ? { timestampMs: sampleTimestampMs(grid, i) } : { timestampMs: sampleTimestampMs(grid, i), value: v });
    });
    if (samples.length === 0) continue;
    const exemplars = exemplarsJson(s, grid);
    out.push({ labels: labelsJson(s.labels), samples, promLabels: promLabels(s.labels), ...(exemplars.length > 0 ? { exemplars } : {}) });
  }
  out.sort((a, b) => (a.promLabels < b.promLabels ? -1 : a.promLabels > b.promLabels ? 1 : 0));
  return { ...(out.length > 0 ? { series: out } : {}), metrics: statsJson(stats) };
}

/**
 * A series' exemplars in time order: those in an interval without a sample are left out, and those of
 * counting functions (NaN) take their interval's value (Tempo's attachExemplars).
 */
function exemplarsJson(s: OutputSeries, grid: TimeGrid): ExemplarJson[] {
  const out: { ms: number; json: ExemplarJson }[] = [];
  for (const e of s.exemplars) {
    const i = intervalOf(grid, BigInt(e.timestampMs) * 1_000_000n);
    if (i < 0 || Number.isNaN(s.values[i])) continue;
    const value = Number.isNaN(e.value) ? s.values[i] : e.value;
    const labels: KeyValueJson[] = [{ key: 'trace:id', value: { stringValue: e.traceId } }];
    out.push({ ms: e.timestampMs, json: { labels, ...(value === 0 ? {} : { value }), timestampMs: String(e.timestampMs) } });
  }
  return out.sort((a, b) => a.ms - b.ms).map((e) => e.json);
}

/** The instant answer: each series' first sample as its value (Tempo's translateQueryRangeToInstant). */
export function queryInstantResponse(range: QueryRangeResponseJson): QueryInstantResponseJson {
  const series = (range.series ?? []).map((s) => ({ labels: s.labels, promLabels: s.promLabels, ...(s.samples[0].value === undefined ? {} : { value: s.samples[0].value }) }));
  return { ...(series.length > 0 ? { series } : {}), metrics: range.metrics };
}

function statsJson(s: MetricsStats): MetricsStatsJson {
  return {
    ...(s.inspectedTraces > 0 ? { inspectedTraces: s.inspectedTraces } : {}),
    ...(s.inspectedBytes > 0 ? { inspectedBytes: String(s.inspectedBytes) } : {}),
    ...(s.inspectedSpans > 0 ? { inspectedSpans: String(s.inspectedSpans) } : {}),
    ...(s.totalBlocks > 0 ? { totalBlocks: s.totalBlocks } : {}),
    ...(s.totalJobs > 0 ? { totalJobs: s.totalJobs, completedJobs: s.totalJobs } : {}),
  };
}
