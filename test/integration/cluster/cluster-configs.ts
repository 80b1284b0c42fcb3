import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { S3_TEST_BUCKET, S3_TEST_ENDPOINT } from '../../backend/storage/s3-test-server.ts';
import { REPO_ROOT, type IngesterConfig } from '../tracelake-process.ts';

/**
 * The shipped clustered example (examples/cluster/*.yaml) with its ports, folders, topic and group moved
 * for one test, the way embeddedConfig treats pipelines.yaml: whatever else the example says is what runs.
 */

export const GATEWAY_YAML = join(REPO_ROOT, 'examples/cluster/gateway.yaml');
export const BACKEND_YAML = join(REPO_ROOT, 'examples/cluster/backend.yaml');

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

/** backend.yaml for any role of a cluster whose blocks are in the test S3 server, under `s3Prefix`. */
export interface BackendConfigOptions {
  readonly apiPort: number;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly clientId: string;
  readonly s3Prefix: string;
  /** host:port of every ingester, for queriers. */
  readonly ingesters: readonly string[];
  /** host:port of every querier, for query-frontends. */
  readonly queriers: readonly string[];
  readonly overrides?: readonly Override[];
}

export function backendConfig(o: BackendConfigOptions): string {
  const doc = parseDocument(readFileSync(BACKEND_YAML, 'utf8'));
  const tracelake = (...path: string[]) => ['exporters', 'tracelake', ...path];
  doc.setIn(tracelake('server', 'http_listen_port'), o.apiPort);
  doc.setIn(tracelake('ingest', 'kafka', 'brokers'), doc.createNode([...o.brokers], { flow: true }));
  doc.setIn(tracelake('ingest', 'kafka', 'topic'), o.topic);
  doc.setIn(tracelake('ingest', 'kafka', 'consumer_group'), o.groupId);
  doc.setIn(tracelake('ingest', 'kafka', 'client_id'), o.clientId);
  const s3 = new URL(S3_TEST_ENDPOINT);
  doc.setIn(tracelake('storage', 'trace', 's3', 'endpoint'), s3.host);
  doc.setIn(tracelake('storage', 'trace', 's3', 'bucket'), S3_TEST_BUCKET);
  doc.setIn(tracelake('storage', 'trace', 's3', 'prefix'), o.s3Prefix);
  doc.setIn(tracelake('querier', 'ingester_addresses'), doc.createNode([...o.ingesters], { flow: true }));
  doc.setIn(tracelake('query_frontend', 'querier_addresses'), doc.createNode([...o.queriers], { flow: true }));
  for (const [path, value] of o.overrides ?? []) doc.setIn(path, value);
  return doc.toString();
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

/** backend.yaml for one `--target ingester` with blocks in a local folder of its own (`<dir>/blocks`). */
export function ingesterConfig(o: IngesterConfigOptions): string {
  const doc = parseDocument(readFileSync(BACKEND_YAML, 'utf8'));
  const kafka = ['exporters', 'tracelake', 'ingest', 'kafka'];
  doc.setIn([...kafka, 'brokers'], doc.createNode([...o.brokers], { flow: true }));
  doc.setIn([...kafka, 'topic'], o.topic);
  doc.setIn([...kafka, 'consumer_group'], o.groupId);
  if (o.clientId !== undefined) doc.setIn([...kafka, 'client_id'], o.clientId);
  doc.setIn(['exporters', 'tracelake', 'server', 'http_listen_port'], o.apiPort);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace'], doc.createNode({
    backend: 'local', local: { path: join(o.dir, 'blocks') }, wal: { path: join(o.dir, 'wal') }, blocklist_poll: '1s',
  }));
  for (const [k, v] of Object.entries(o.ingester ?? {})) doc.setIn(['exporters', 'tracelake', 'ingester', k], v);
  for (const [path, value] of o.overrides ?? []) doc.setIn(path, value);
  return doc.toString();
}
