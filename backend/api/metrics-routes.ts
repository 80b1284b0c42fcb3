import { parseInstantRequest, parseQueryRangeRequest } from '../metrics/metrics-request.ts';
import { queryInstantResponse } from '../metrics/metrics-response.ts';
import type { MetricsService } from '../metrics/trace-metrics.ts';
import { querierForwarder, type QuerierForwardingDeps } from './querier-forwarder.ts';
import { jsonReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Route } from './router.ts';

/** Tempo's paths of the two metrics endpoints. */
export const PATH_QUERY_RANGE = '/api/metrics/query_range';
export const PATH_QUERY_INSTANT = '/api/metrics/query';

/** What the locally answered metrics routes use. */
export interface MetricsRoutesDeps {
  readonly metrics: MetricsService;
  readonly tenantOf: TenantOf;
}

/**
 * TraceQL metrics (tempo-api.md section 7), answered by this process: tenant first (401/400), then the
 * parameters and the query (400), then Tempo's QueryRangeResponse, or for the instant form its
 * QueryInstantResponse (the one-interval range answer, each series' value its sample).
 */
export function metricsRoutes(deps: MetricsRoutesDeps): Route[] {
  const { metrics, tenantOf } = deps;
  return [
    {
      path: PATH_QUERY_RANGE,
      handler: async (req) => {
        const tenant = tenantOf(req.headers);
        return jsonReply(200, await metrics.queryRange(tenant, parseQueryRangeRequest(req.query)));
      },
    },
    {
      path: PATH_QUERY_INSTANT,
      handler: async (req) => {
        const tenant = tenantOf(req.headers);
        return jsonReply(200, queryInstantResponse(await metrics.queryRange(tenant, parseInstantRequest(req.query))));
      },
    },
  ];
}

/** The metrics routes of a query-frontend that sends work to queriers: checked here, forwarded whole to one. */
export function forwardedMetricsRoutes(deps: QuerierForwardingDeps): Route[] {
  const forward = querierForwarder(deps);
  return [
    { path: PATH_QUERY_RANGE, handler: (req) => forward(deps.tenantOf(req.headers), PATH_QUERY_RANGE, req.query, () => parseQueryRangeRequest(req.query)) },
    { path: PATH_QUERY_INSTANT, handler: (req) => forward(deps.tenantOf(req.headers), PATH_QUERY_INSTANT, req.query, () => parseInstantRequest(req.query)) },
  ];
}
