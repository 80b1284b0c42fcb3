import { parseSearchRequest } from '../search/search-request.ts';
import { querierForwarder, type QuerierForwardingDeps } from './querier-forwarder.ts';
import type { Handler } from './router.ts';

/**
 * `GET /api/search` on a query-frontend that sends work to queriers: the request is checked here (tenant,
 * parameters), then forwarded whole to one querier (querier-forwarder.ts).
 */
export function forwardedSearchHandler(deps: QuerierForwardingDeps): Handler {
  const forward = querierForwarder(deps);
  return (req) => forward(deps.tenantOf(req.headers), '/api/search', req.query, () => parseSearchRequest(req.query));
}
