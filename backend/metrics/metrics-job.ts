import type { BlockMeta } from '../block/block-meta.ts';
import type { BlockRef, SearchJob } from '../search/search-job.ts';
import type { SearchJobSpec } from '../search/search-job-service.ts';
import type { LiveIntervals } from './live-intervals.ts';
import type { MetricsSample } from './metrics-accumulator.ts';
import type { MetricsRequest } from './metrics-request.ts';
import type { SeriesPartial } from './metrics-partial.ts';

/** What a metrics job computes over: the request, and (block jobs) the intervals the live job counted spans in. */
export interface MetricsWork {
  readonly request: MetricsRequest;
  readonly live: LiveIntervals;
}

/** A sample a block job held back: added by the merge unless the live job counted the same span (`key`). */
export interface HeldSample extends MetricsSample {
  /** `traceId:spanId`. */
  readonly key: string;
}

/**
 * One job's part of a metrics query, plain data (structured clone, or JSON via metrics-job-json.ts): its
 * series state and exemplars; a block job's held-back samples; the live job's span keys and intervals.
 */
export interface MetricsJobResult {
  readonly series: readonly SeriesPartial[];
  readonly held: readonly HeldSample[];
  readonly liveKeys: readonly string[];
  /** LiveIntervals.text() of the live job. */
  readonly liveIntervals: string;
  readonly inspectedTraces: number;
  readonly inspectedSpans: number;
  readonly inspectedBytes: number;
  readonly blocks: number;
}

/** Runs one job of a metrics query somewhere: in this process, on a worker thread, on a querier. */
export interface MetricsJobRunner<B extends BlockRef = BlockRef> {
  runMetrics(tenant: string, job: SearchJob<B>, work: MetricsWork, signal: AbortSignal): Promise<MetricsJobResult>;
}

/** Runs a block job of a metrics query: in this thread (metricsBlocks over a store) or on a worker thread. */
export type MetricsBlockRunner = (blocks: readonly BlockMeta[], work: MetricsWork, signal: AbortSignal) => Promise<MetricsJobResult>;

/** What a querier offers a query-frontend's metrics queries (`/querier/api/metrics/query_range`): running one job. */
export interface MetricsJobService {
  runMetricsJob(tenant: string, spec: SearchJobSpec, work: MetricsWork, signal: AbortSignal): Promise<MetricsJobResult>;
}
