import type { Registry } from 'prom-client';
import type { BuildInfo } from '../../pipeline/component.ts';
import type { SearchSource } from '../querier/search-source.ts';
import { querierTraceHandler } from './querier-trace-handler.ts';
import { searchCandidatesHandler } from './search-candidates-handler.ts';
import { requestTenant, type TenantOf } from './request-tenant.ts';
import type { Handler, Route } from './router.ts';
import { buildInfoHandler, echoHandler, metricsHandler, readyHandler } from './status-handlers.ts';
import { traceByIdV1Handler, traceByIdV2Handler } from './trace-by-id-handlers.ts';
import type { QuerierLookup, TraceLookup } from './trace-lookup.ts';

export interface TempoRoutesOptions {
  readonly lookup: TraceLookup;
  /** This process's querier, for query-frontend jobs (`/querier/api/traces/:traceId`); absent = no such route. */
  readonly querier?: QuerierLookup;
  /** This process's ingester: its unflushed traces for other queriers' searches (`/ingester/api/search-candidates`). */
  readonly ingester?: SearchSource;
  /** Builds the `/api/search` handler (a querier's search, or a query-frontend's over queriers); absent = no such route. */
  readonly search?: (tenantOf: TenantOf) => Handler;
  /** Builds the querier's routes for a query-frontend's search jobs (querier-search-handlers.ts); absent = none. */
  readonly searchJobs?: (tenantOf: TenantOf) => Route[];
  /** Builds the tag name and value routes (tag-routes.ts), local or forwarded; absent = no such routes. */
  readonly tags?: (tenantOf: TenantOf) => Route[];
  /** Builds the TraceQL metrics routes (metrics-routes.ts), local or forwarded; absent = no such routes. */
  readonly traceqlMetrics?: (tenantOf: TenantOf) => Route[];
  /** X-Scope-OrgID required and validated when on; otherwise every request is `single-tenant`. */
  readonly multitenancy: boolean;
  readonly isReady: () => boolean;
  readonly build: BuildInfo;
  readonly metrics: Registry;
}

/** The Tempo HTTP API routes (../shared/tempo-api.md) in one table. All are GET. */
export function tempoRoutes(options: TempoRoutesOptions): Route[] {
  const tenantOf = requestTenant(options.multitenancy);
  const traces = { lookup: options.lookup, tenantOf };
  const querier = options.querier === undefined ? []
    : [{ path: '/querier/api/traces/:traceId', handler: querierTraceHandler({ lookup: options.querier, tenantOf }) }];
  const search = options.search === undefined ? [] : [{ path: '/api/search', handler: options.search(tenantOf) }];
  const candidates = options.ingester === undefined ? []
    : [{ path: '/ingester/api/search-candidates', handler: searchCandidatesHandler({ ingester: options.ingester, tenantOf }) }];
  const tags = options.tags === undefined ? [] : options.tags(tenantOf);
  const searchJobs = options.searchJobs === undefined ? [] : options.searchJobs(tenantOf);
  const traceqlMetrics = options.traceqlMetrics === undefined ? [] : options.traceqlMetrics(tenantOf);
  return [
    ...search,
    ...tags,
    ...traceqlMetrics,
    { path: '/api/traces/:traceId', handler: traceByIdV1Handler(traces) },
    { path: '/api/v2/traces/:traceId', handler: traceByIdV2Handler(traces) },
    ...querier,
    ...searchJobs,
    ...candidates,
    { path: '/api/echo', handler: echoHandler },
    { path: '/api/status/buildinfo', handler: buildInfoHandler(options.build) },
    { path: '/ready', handler: readyHandler(options.isReady) },
    { path: '/metrics', handler: metricsHandler(options.metrics) },
  ];
}
