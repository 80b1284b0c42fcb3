import type { Registry } from 'prom-client';
import type { BuildInfo } from '../../pipeline/component.ts';
import { requestTenant } from './request-tenant.ts';
import type { Route } from './router.ts';
import { buildInfoHandler, echoHandler, metricsHandler, readyHandler } from './status-handlers.ts';
import { traceByIdV1Handler, traceByIdV2Handler } from './trace-by-id-handlers.ts';
import type { TraceLookup } from './trace-lookup.ts';

export interface TempoRoutesOptions {
  readonly lookup: TraceLookup;
  /** X-Scope-OrgID required and validated when on; otherwise every request is `single-tenant`. */
  readonly multitenancy: boolean;
  readonly isReady: () => boolean;
  readonly build: BuildInfo;
  readonly metrics: Registry;
}

/** The Tempo HTTP API routes (../shared/tempo-api.md) in one table. All are GET. */
export function tempoRoutes(options: TempoRoutesOptions): Route[] {
  const traces = { lookup: options.lookup, tenantOf: requestTenant(options.multitenancy) };
  return [
    { path: '/api/traces/:traceId', handler: traceByIdV1Handler(traces) },
    { path: '/api/v2/traces/:traceId', handler: traceByIdV2Handler(traces) },
    { path: '/api/echo', handler: echoHandler },
    { path: '/api/status/buildinfo', handler: buildInfoHandler(options.build) },
    { path: '/ready', handler: readyHandler(options.isReady) },
    { path: '/metrics', handler: metricsHandler(options.metrics) },
  ];
}
