import type { Registry } from 'prom-client';
import type { BuildInfo } from '../../pipeline/component.ts';
import { jsonReply, textReply } from './replies.ts';
import type { Handler } from './router.ts';

/** Grafana's "Save & test" only needs a 2xx. */
export const echoHandler: Handler = () => textReply(200, 'echo');

/** 200 once every backend module has started, 503 before and again while shutting down. */
export function readyHandler(isReady: () => boolean): Handler {
  return () => (isReady() ? textReply(200, 'ready') : textReply(503, 'not ready'));
}

/** Grafana reads `version` (semver) to gate features; the keys are Prometheus' build info, as Tempo's. */
export function buildInfoHandler(build: BuildInfo): Handler {
  const body = {
    version: build.version,
    revision: build.revision,
    branch: '',
    buildUser: '',
    buildDate: '',
    goVersion: build.goVersion,
  };
  return () => jsonReply(200, body);
}

/** Prometheus text format from the process-wide registry. */
export function metricsHandler(registry: Registry): Handler {
  return async () => ({ status: 200, contentType: registry.contentType, body: await registry.metrics() });
}
