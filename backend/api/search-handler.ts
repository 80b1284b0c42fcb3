import { parseSearchRequest } from '../search/search-request.ts';
import type { SearchService } from '../search/search-service.ts';
import { jsonReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Handler } from './router.ts';

export interface SearchHandlerDeps {
  readonly search: SearchService;
  readonly tenantOf: TenantOf;
}

/** `GET /api/search`: tenant first (401/400), then the parameters (400), then Tempo's SearchResponse as JSON. */
export function searchHandler(deps: SearchHandlerDeps): Handler {
  return async (req) => {
    const tenant = deps.tenantOf(req.headers);
    const request = parseSearchRequest(req.query);
    return jsonReply(200, await deps.search.search(tenant, request));
  };
}
