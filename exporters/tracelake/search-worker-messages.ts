import type { BlockMeta } from '../../backend/block/block-meta.ts';
import type { TimeGrid } from '../../backend/metrics/time-grid.ts';
import type { MetricsJobResult } from '../../backend/metrics/metrics-job.ts';
import type { TimeRange } from '../../backend/querier/trace-source.ts';
import type { SearchJobResult } from '../../backend/search/search-job-runner.ts';

/** A block job posted to a search thread; the query goes as text and is parsed there (ASTs hold no functions, but text is smaller). */
export interface SearchJobMessage {
  readonly type: 'search';
  readonly id: number;
  readonly blocks: readonly BlockMeta[];
  readonly text: string;
  readonly range?: TimeRange;
  readonly spss: number;
  readonly limit: number;
}

/** A block job of a metrics query: the query as text, its grid, exemplar budget and live intervals (LiveIntervals.text()). */
export interface MetricsJobMessage {
  readonly type: 'metrics';
  readonly id: number;
  readonly blocks: readonly BlockMeta[];
  readonly text: string;
  readonly grid: TimeGrid;
  readonly exemplars: number;
  readonly live: string;
}

/** A job for a thread, as the pool posts it. */
export type JobMessage = SearchJobMessage | MetricsJobMessage;

/** Stop job `id`: the search it belongs to is settled or gone. */
export interface CancelMessage {
  readonly type: 'cancel';
  readonly id: number;
}

export type SearchWorkerRequest = JobMessage | CancelMessage;

export type SearchWorkerReply =
  | { readonly id: number; readonly result: SearchJobResult | MetricsJobResult }
  | { readonly id: number; readonly error: string };
