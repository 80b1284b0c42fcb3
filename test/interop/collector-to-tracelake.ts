import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { exportSpans, sendSpans } from '../integration/sdk-spans.ts';
import { freePort } from '../integration/tracelake-process.ts';
import type { CheckContext } from './check-context.ts';
import { expectRecordShape, expectTraceBack, getTraceAs, makeTraces, type SentTraces } from './interop-traces.ts';
import { countRecords, readAllRecords, type Encoding } from './kafka-records.ts';
import { collectorKafkaExporterSection, type Compression } from './kafka-sections.ts';
import { otelcolService } from './otelcol-process.ts';
import { explainingHashers } from './partition-hash.ts';
import { startIngester } from './tracelake-roles.ts';

/**
 * Collector → Tracelake: the Collector (otlp receiver → kafka exporter) writes what an OTLP client sent it;
 * Tracelake (kafka receiver → tracelake exporter) reads it; the traces come back whole by ID from its API.
 */

export interface CollectorToTracelakeVariant {
  readonly encoding: Encoding;
  readonly compression: Compression;
  readonly partitionTracesById: boolean;
  /** Two of the traces have this many spans (about 125 protobuf bytes a span); 3 when not given. */
  readonly bigTraceSpans?: number;
  /**
   * Sent as X-Scope-OrgID by the client; the Collector keeps it (include_metadata) and writes it as a record
   * header (include_metadata_keys); a multitenant Tracelake must file the trace under it.
   */
  readonly tenant?: string;
}

export const PARTITIONS = 4;
const TENANT_HEADER = 'X-Scope-OrgID';

export async function collectorToTracelake(ctx: CheckContext, v: CollectorToTracelakeVariant): Promise<string[]> {
  const label = `c2t-${v.encoding}-${v.compression}${v.partitionTracesById ? '' : '-unkeyed'}${v.bigTraceSpans === undefined ? '' : '-big'}${v.tenant === undefined ? '' : '-tenant'}`;
  const topic = await ctx.topic(label, PARTITIONS);
  const grpc = await freePort();
  const http = await freePort();
  const withTenant = v.tenant !== undefined;
  const exporter = collectorKafkaExporterSection({ topic, ...v });
  if (withTenant) exporter.include_metadata_keys = [TENANT_HEADER];
  const collectorConfig = {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `127.0.0.1:${grpc}`, include_metadata: withTenant },
          http: { endpoint: `127.0.0.1:${http}`, include_metadata: withTenant },
        },
      },
    },
    exporters: { kafka: exporter },
    service: otelcolService({ receivers: ['otlp'], exporters: ['kafka'] }),
  };
  const receiver = { topic, encoding: v.encoding, groupId: `interop-${randomBytes(4).toString('hex')}` };
  const [, ingester] = await Promise.all([
    ctx.otelcol('otelcol', collectorConfig),
    ctx.tracelake('tracelake-ingester', () => startIngester(receiver, withTenant)),
  ]);

  const sent = makeTraces(label, 2, v.bigTraceSpans ?? 3);
  // Sent before anything is checked: the Collector answers once the broker acknowledged (no sending queue).
  await send(sent, `http://127.0.0.1:${grpc}`, `http://127.0.0.1:${http}/v1/traces`, v.tenant);

  const lines: string[] = [];
  if (v.compression === 'snappy' || v.compression === 'lz4') {
    // This reader stays independent of Tracelake's codecs and has none for snappy or lz4: it counts the
    // records, and the traces read back through Tracelake below check their content.
    lines.push(`Collector wrote ${await countRecordsOf(ctx, topic)} ${v.compression}-compressed records`);
  } else {
    const contents = await readAllRecords(ctx.suite.kafka, topic, v.encoding);
    const shape = expectRecordShape(contents, sent, { ...v, ...(withTenant ? { headers: { [TENANT_HEADER]: v.tenant! } } : {}) });
    lines.push(`Collector wrote ${shape}; partitions explained by ${explainingHashers(contents.records, PARTITIONS).join('/') || 'no key'}`);
  }
  for (const [traceId, spans] of sent.expected) await expectTraceBack(ingester, traceId, spans, v.tenant);
  lines.push(`Tracelake returned ${sent.expected.size} traces (${sent.spans.length} spans) unchanged by ID${withTenant ? ` as tenant ${v.tenant}` : ''}`);
  if (withTenant) {
    const other = await getTraceAs(ingester, [...sent.expected.keys()][0]!, 'someone-else');
    assert.equal(other.status, 404, `another tenant got status ${other.status} for the trace`);
    lines.push('another tenant gets 404 for it');
  }
  return lines;
}

async function send(sent: SentTraces, grpcUrl: string, httpUrl: string, tenant: string | undefined): Promise<void> {
  if (tenant === undefined) return sendSpans('grpc', { otlpGrpcUrl: grpcUrl, otlpHttpUrl: httpUrl }, sent.spans);
  const exporter = new OTLPTraceExporter({ url: httpUrl, headers: { [TENANT_HEADER]: tenant }, timeoutMillis: 10_000 });
  try {
    await exportSpans(exporter, sent.spans);
  } finally {
    await exporter.shutdown();
  }
}

async function countRecordsOf(ctx: CheckContext, topic: string): Promise<number> {
  const n = await countRecords(ctx.suite.admin, topic);
  assert.ok(n > 0, `the Collector wrote nothing to ${topic}`);
  return n;
}
