import type { SearchRequest } from './search-request.ts';
import type { TraceResultJson } from './trace-result.ts';

/** Tempo's SearchMetrics (gogo JSON: uint64 as a decimal string, zero values omitted). */
export interface SearchMetricsJson {
  readonly inspectedTraces?: number;
  readonly inspectedBytes?: string;
  readonly completedJobs?: number;
  readonly totalJobs?: number;
}

/** Tempo's SearchResponse as JSON: no `traces` key without results. */
export interface SearchResponseJson {
  readonly traces?: TraceResultJson[];
  readonly metrics: SearchMetricsJson;
}

/** What the API's search route needs: this process's search (TraceSearch). */
export interface SearchService {
  search(tenant: string, request: SearchRequest, signal?: AbortSignal): Promise<SearchResponseJson>;
}

