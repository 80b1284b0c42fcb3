import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT, type IngesterConfig } from '../tracelake-process.ts';

/**
 * The shipped clustered example (examples/cluster/*.yaml) with its ports, folders, topic and group moved
 * for one test, the way embeddedConfig treats pipelines.yaml: whatever else the example says is what runs.
 */

export const GATEWAY_YAML = join(REPO_ROOT, 'examples/cluster/gateway.yaml');
export const INGESTER_YAML = join(REPO_ROOT, 'examples/cluster/ingester.yaml');

/** A key path in the YAML and the value to put there. */
export type Override = readonly [path: readonly (string | number)[], value: unknown];

export interface GatewayConfigOptions {
  readonly grpcPort: number;
  readonly httpPort: number;
  /** service.telemetry.metrics.address port (GET /metrics). */
  readonly metricsPort: number;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly overrides?: readonly Override[];
}

export interface IngesterConfigOptions {
  readonly apiPort: number;
  /** Holds `wal/` and `blocks/`. */
  readonly dir: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly clientId?: string;
  readonly ingester?: IngesterConfig;
  readonly overrides?: readonly Override[];
}

export function gatewayConfig(o: GatewayConfigOptions): string {
  const doc = parseDocument(readFileSync(GATEWAY_YAML, 'utf8'));
  doc.setIn(['receivers', 'otlp', 'protocols', 'grpc', 'endpoint'], `127.0.0.1:${o.grpcPort}`);
  doc.setIn(['receivers', 'otlp', 'protocols', 'http', 'endpoint'], `127.0.0.1:${o.httpPort}`);
  doc.setIn(['service', 'telemetry', 'metrics', 'address'], `127.0.0.1:${o.metricsPort}`);
  doc.setIn(['extensions', 'health_check', 'endpoint'], '127.0.0.1:0'); // readiness is watched on OTLP/HTTP
  doc.setIn(['exporters', 'kafka', 'brokers'], doc.createNode([...o.brokers], { flow: true }));
  doc.setIn(['exporters', 'kafka', 'traces', 'topic'], o.topic);
  for (const [path, value] of o.overrides ?? []) doc.setIn(path, value);
  return doc.toString();
}

export function ingesterConfig(o: IngesterConfigOptions): string {
  const doc = parseDocument(readFileSync(INGESTER_YAML, 'utf8'));
  doc.setIn(['receivers', 'kafka', 'brokers'], doc.createNode([...o.brokers], { flow: true }));
  doc.setIn(['receivers', 'kafka', 'traces', 'topics'], doc.createNode([o.topic], { flow: true }));
  doc.setIn(['receivers', 'kafka', 'group_id'], o.groupId);
  if (o.clientId !== undefined) doc.setIn(['receivers', 'kafka', 'client_id'], o.clientId);
  doc.setIn(['exporters', 'tracelake', 'server', 'http_listen_port'], o.apiPort);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], join(o.dir, 'blocks'));
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'wal', 'path'], join(o.dir, 'wal'));
  for (const [k, v] of Object.entries(o.ingester ?? {})) doc.setIn(['exporters', 'tracelake', 'ingester', k], v);
  for (const [path, value] of o.overrides ?? []) doc.setIn(path, value);
  return doc.toString();
}
