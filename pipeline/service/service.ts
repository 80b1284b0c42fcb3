import { isServiceWatcher } from '../component.ts';
import type { ServiceConfig } from '../config/service-config.ts';
import { TracelakeError } from '../errors.ts';
import { buildGraph, type GraphOptions } from './build-graph.ts';
import type { GraphNode } from './graph-node.ts';
import { shutdownInOrder, startInOrder } from './lifecycle.ts';
import { createMetricsServer } from './metrics-server.ts';

export interface Service {
  /** Starts downstream-first: extensions, exporters, processors, receivers. Once. */
  start(): Promise<void>;
  /** Upstream-first: receivers stop accepting and finish in-flight requests, processors flush, exporters drain. Idempotent. */
  shutdown(): Promise<void>;
}

export type ServiceOptions = GraphOptions;

/** The pipeline graph of a validated config, with its lifecycle. Builds every component at once. */
export function createService(config: ServiceConfig, options: ServiceOptions): Service {
  const graph = buildGraph(config, options);
  const log = options.logger.child({ kind: 'service' });
  const order: GraphNode[] = [...telemetryNodes(config, options), ...graph.extensions, ...graph.exporters, ...graph.processors, ...graph.receivers];
  const started: GraphNode[] = [];
  const abort = new AbortController();
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const watchers = order.map((node) => node.component).filter(isServiceWatcher);

  async function stop(): Promise<void> {
    abort.abort();
    log.info('service stopping');
    for (const watcher of watchers) watcher.serviceStopping();
    // A start still under way finishes (or rolls itself back) first; its outcome belongs to start()'s caller.
    await starting?.catch(() => undefined);
    await shutdownInOrder([...started].reverse());
    log.info('service stopped');
  }

  return Object.freeze({
    start() {
      if (stopping !== undefined && starting === undefined) return Promise.reject(new TracelakeError('the service was shut down'));
      starting ??= startInOrder(order, { signal: abort.signal }, started).then(() => {
        for (const watcher of watchers) watcher.serviceReady();
        log.info({ pipelines: Object.keys(config.service.pipelines) }, 'service started');
      });
      return starting;
    },
    shutdown() {
      stopping ??= stop();
      return stopping;
    },
  });
}

function telemetryNodes(config: ServiceConfig, options: ServiceOptions): GraphNode[] {
  const { level, address } = config.service.telemetry.metrics;
  if (address === undefined || level === 'none') return [];
  const logger = options.logger.child({ kind: 'telemetry', id: 'metrics' });
  return [{ kind: 'extension', id: 'telemetry/metrics', logger, component: createMetricsServer(address, options.metrics) }];
}
