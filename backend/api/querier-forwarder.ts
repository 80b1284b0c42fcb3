import { RetryableError } from '../../pipeline/errors.ts';
import { SINGLE_TENANT } from '../../pipeline/tenant-id.ts';
import { CONTENT_TYPE_JSON, textReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { ApiResponse } from './router.ts';

/** As the frontend's trace-by-ID jobs: a failed attempt is tried on the next querier, three queriers at most. */
const MAX_ATTEMPTS = 3;

export interface QuerierForwardingDeps {
  /** `host:port` of each querier's API; at least one. */
  readonly querierAddresses: readonly string[];
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly tenantOf: TenantOf;
}

/** Checks the request (`check` throws its 400s), then sends `path?query` to a querier. */
export type QuerierForward = (tenant: string, path: string, query: URLSearchParams, check: () => unknown) => Promise<ApiResponse>;

/**
 * How a query-frontend hands a request it does not split (search, tags) to the queriers: whole, to one of
 * them, round robin; unreachable queriers and 5xx answers are retried on the next one, a querier's 4xx is
 * the answer.
 */
export function querierForwarder(deps: QuerierForwardingDeps): QuerierForward {
  let next = 0;
  return async (tenant, path, query, check) => {
    check();
    const addresses = deps.querierAddresses;
    const first = next;
    next = (next + 1) % addresses.length;
    let lastError: unknown;
    for (let i = 0; i < Math.min(addresses.length, MAX_ATTEMPTS); i++) {
      const address = addresses[(first + i) % addresses.length]!;
      try {
        const res = await send(`http://${address}${path}?${query.toString()}`, tenant, deps.timeoutMs);
        if (res.status < 500) return res;
        lastError = new RetryableError(`querier ${address} answered ${res.status}`);
      } catch (err) {
        lastError = new RetryableError(`querier ${address} unreachable`, { cause: err });
      }
    }
    throw lastError;
  };
}

async function send(url: string, tenant: string, timeoutMs: number): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: CONTENT_TYPE_JSON };
  if (tenant !== SINGLE_TENANT) headers['x-scope-orgid'] = tenant;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  if (res.status === 200) return { status: 200, contentType: CONTENT_TYPE_JSON, body };
  return textReply(res.status, body);
}
