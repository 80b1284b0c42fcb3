import type { BlockRef } from './search-job.ts';
import type { SearchJobResult } from './search-job-runner.ts';
import type { SearchRequest } from './search-request.ts';

/** A job as a query-frontend names it to a querier: the live traces, or blocks by ID. */
export type SearchJobSpec = { readonly kind: 'live' } | { readonly kind: 'blocks'; readonly blockIDs: readonly string[] };

/** What a querier offers a query-frontend's search (`/querier/api/search…` routes): its blocks, and running a job. */
export interface SearchJobService {
  /** The tenant's blocks overlapping the range (all without one), as planning needs them. */
  searchBlockRefs(tenant: string, range: SearchRequest['range']): Promise<BlockRef[]>;
  runSearchJob(tenant: string, spec: SearchJobSpec, request: SearchRequest, signal: AbortSignal): Promise<SearchJobResult>;
}
