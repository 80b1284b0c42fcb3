import { parseInstantRequest, parseQueryRangeRequest } from '../metrics/metrics-request.ts';
import { queryInstantResponse } from '../metrics/metrics-response.ts';
import type { MetricsService } from '../metrics/trace-metrics.ts';
import { jsonReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Route } from './router.ts';

/** Tempo's paths of the two metrics endpoints. */
export const PATH_QUERY_RANGE = '/api/metrics/query_range';
export const PATH_QUERY_INSTANT = '/api/metrics/query';

/** What the metrics routes use: a querier's metrics, or a query-frontend's over queriers. */
export interface MetricsRoutesDeps {
  readonly metrics: MetricsService;
  readonly tenantOf: TenantOf;
}

/**
 * TraceQL metrics (tempo-api.md section 7), answered by this process (a query-frontend splits them into
 * jobs over its queriers): tenant first (401/400), then the parameters and the query (400), then Tempo's
 * QueryRangeResponse, or for the instant form its QueryInstantResponse (the one-interval range answer, each series' value its sample).
 */
export function metricsRoutes(deps: MetricsRoutesDeps): Route[] {
  const { metrics, tenantOf } = deps;
  return [
    {
      path: PATH_QUERY_RANGE,
      handler: async (req) => {
        const tenant = tenantOf(req.headers);
        return jsonReply(200, await metrics.queryRange(tenant, parseQueryRangeRequest(req.query), req.signal));
      },
    },
    {
      path: PATH_QUERY_INSTANT,
      handler: async (req) => {
        const tenant = tenantOf(req.headers);
        return jsonReply(200, queryInstantResponse(await metrics.queryRange(tenant, parseInstantRequest(req.query), req.signal)));
      },
    },
  ];
}
