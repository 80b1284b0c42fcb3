import { RetryableError } from '../../pipeline/errors.ts';
import { SINGLE_TENANT } from '../../pipeline/tenant-id.ts';
import { parseSearchRequest } from '../search/search-request.ts';
import { CONTENT_TYPE_JSON, textReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { ApiResponse, Handler } from './router.ts';

/** As the frontend's trace-by-ID jobs: a failed attempt is tried on the next querier, three queriers at most. */
const MAX_ATTEMPTS = 3;

export interface ForwardedSearchDeps {
  /** `host:port` of each querier's API; at least one. */
  readonly querierAddresses: readonly string[];
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly tenantOf: TenantOf;
}

/**
 * `GET /api/search` on a query-frontend that sends work to queriers: the request is checked here (tenant,
 * parameters), then forwarded whole to one querier, round robin; unreachable queriers and 5xx answers are
 * retried on the next one, a querier's 4xx is the answer.
 */
export function forwardedSearchHandler(deps: ForwardedSearchDeps): Handler {
  let next = 0;
  return async (req) => {
    const tenant = deps.tenantOf(req.headers);
    parseSearchRequest(req.query);
    const { querierAddresses: addresses } = deps;
    const first = next;
    next = (next + 1) % addresses.length;
    let lastError: unknown;
    for (let i = 0; i < Math.min(addresses.length, MAX_ATTEMPTS); i++) {
      const address = addresses[(first + i) % addresses.length]!;
      try {
        const res = await forward(address, req.query, tenant, deps.timeoutMs);
        if (res.status < 500) return res;
        lastError = new RetryableError(`querier ${address} answered ${res.status}`);
      } catch (err) {
        lastError = new RetryableError(`querier ${address} unreachable`, { cause: err });
      }
    }
    throw lastError;
  };
}

async function forward(address: string, query: URLSearchParams, tenant: string, timeoutMs: number): Promise<ApiResponse> {
  const url = new URL(`/api/search?${query.toString()}`, `http://${address}`);
  const headers: Record<string, string> = { accept: CONTENT_TYPE_JSON };
  if (tenant !== SINGLE_TENANT) headers['x-scope-orgid'] = tenant;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  if (res.status === 200) return { status: 200, contentType: CONTENT_TYPE_JSON, body };
  return textReply(res.status, body);
}
