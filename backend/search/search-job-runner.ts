import type { SearchJob, BlockRef } from './search-job.ts';
import type { SearchRequest } from './search-request.ts';
import type { TraceResultJson } from './trace-result.ts';

/** What one job found: at most `limit` traces (its newest), and what it looked at. */
export interface SearchJobResult {
  readonly traces: readonly TraceResultJson[];
  readonly inspectedTraces: number;
  readonly inspectedBytes: number;
}

/** Runs one job of a search somewhere: in this process, on a worker thread, on a querier. */
export interface SearchJobRunner<B extends BlockRef = BlockRef> {
  run(tenant: string, job: SearchJob<B>, request: SearchRequest, signal: AbortSignal): Promise<SearchJobResult>;
}

/** Where a search finds its blocks: this process's block list, or a querier's. */
export interface SearchBlockPlanner<B extends BlockRef = BlockRef> {
  /** Whether live traces are searched too (the first job). */
  readonly live: boolean;
  /** The tenant's blocks overlapping the range (all without one). */
  blocks(tenant: string, range: SearchRequest['range'], signal: AbortSignal): Promise<readonly B[]>;
}
