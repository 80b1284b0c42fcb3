import { QUERIER_METRICS_PATH } from '../frontend/remote-search-jobs.ts';
import type { MetricsJobService } from '../metrics/metrics-job.ts';
import { metricsJobJson, parseMetricsWorkParams } from '../metrics/metrics-job-json.ts';
import { parseJobSpec } from './querier-search-handlers.ts';
import { CONTENT_TYPE_JSON } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Route } from './router.ts';

export interface QuerierMetricsDeps {
  readonly jobs: MetricsJobService;
  readonly tenantOf: TenantOf;
  /** A job still running after this is abandoned (its frontend has given up by then). */
  readonly timeoutMs: number;
}

/**
 * The querier's route for a query-frontend's metrics jobs (frontend/remote-search-jobs.ts):
 * `GET /querier/api/metrics/query_range?<metricsWorkParams>&mode=ingesters|blocks&blocks=<id>,<id>` answers
 * one job's MetricsJobResult (metrics-job-json.ts). No limits apply here: the frontend checked them.
 */
export function querierMetricsRoutes(deps: QuerierMetricsDeps): Route[] {
  return [{
    path: QUERIER_METRICS_PATH,
    handler: async (req) => {
      const tenant = deps.tenantOf(req.headers);
      const work = parseMetricsWorkParams(req.query);
      const spec = parseJobSpec(req.query);
      const result = await deps.jobs.runMetricsJob(tenant, spec, work, AbortSignal.any([req.signal, AbortSignal.timeout(deps.timeoutMs)]));
      return { status: 200, contentType: CONTENT_TYPE_JSON, body: metricsJobJson(result) };
    },
  }];
}
