import { CandidatePartsWriter } from '../querier/candidate-parts.ts';
import type { SearchSource } from '../querier/search-source.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Handler } from './router.ts';
import { parseTimeRange } from './time-range.ts';

/** `GET /ingester/api/search-candidates[?start&end]`: this ingester's unflushed traces of the tenant, for a querier's search. */
export function searchCandidatesHandler(deps: { readonly ingester: SearchSource; readonly tenantOf: TenantOf }): Handler {
  return async (req) => {
    const tenant = deps.tenantOf(req.headers);
    const parts = new CandidatePartsWriter();
    await deps.ingester.searchCandidates(tenant, parseTimeRange(req.query), parts.add);
    return { status: 200, contentType: 'application/octet-stream', body: parts.bytes() };
  };
}
