import { parseSearchRequest } from '../search/search-request.ts';
import type { SearchService } from '../search/search-service.ts';
import { QueryTimeoutError } from '../search/query-timeout-error.ts';
import { jsonReply, textReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Handler } from './router.ts';

export interface SearchHandlerDeps {
  readonly search: SearchService;
  readonly tenantOf: TenantOf;
  /** `limit` when the request gives none (query_frontend.search.default_result_limit); default 20. */
  readonly defaultLimit?: number;
}

/**
 * `GET /api/search`: tenant first (401/400), then the parameters (400), then Tempo's SearchResponse as JSON;
 * a search past its timeout is Tempo's 504 `context deadline exceeded`.
 */
export function searchHandler(deps: SearchHandlerDeps): Handler {
  return async (req) => {
    const tenant = deps.tenantOf(req.headers);
    const parsed = parseSearchRequest(req.query);
    const given = (req.query.get('limit') ?? '') !== '';
    const request = given || deps.defaultLimit === undefined ? parsed : { ...parsed, limit: deps.defaultLimit };
    try {
      return jsonReply(200, await deps.search.search(tenant, request, req.signal));
    } catch (err) {
      if (err instanceof QueryTimeoutError) return textReply(504, err.message);
      throw err;
    }
  };
}
