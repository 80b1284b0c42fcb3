import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { exportSpans, sendSpans } from '../integration/sdk-spans.ts';
import type { CheckContext } from './check-context.ts';
import { expectRecordShape, expectTraceBack, makeTraces } from './interop-traces.ts';
import { readAllRecords, type Encoding } from './kafka-records.ts';
import { collectorKafkaExporterSection, kafkaReceiverSection, type Compression } from './kafka-sections.ts';
import { otelcolService, type OtelcolProcess } from './otelcol-process.ts';
import { explainingHashers } from './partition-hash.ts';
import { startEmbedded, startGateway, startIngester } from './tracelake-roles.ts';
import { PARTITIONS } from './collector-to-tracelake.ts';

/**
 * Tracelake → Collector: a Tracelake gateway (otlp receiver → kafka exporter) writes; the Collector's kafka
 * receiver reads and forwards over otlp_http to a second, embedded Tracelake (and prints to its debug
 * exporter); the traces come back whole by ID, and every span ID shows in the Collector's debug output.
 */

const TENANT_HEADER = 'X-Scope-OrgID';

export interface TracelakeToCollectorVariant {
  readonly encoding: Encoding;
  readonly compression: Compression;
  readonly partitionTracesById: boolean;
  /** Two of the traces have this many spans (about 125 protobuf bytes a span); 3 when not given. */
  readonly bigTraceSpans?: number;
}

export async function tracelakeToCollector(ctx: CheckContext, v: TracelakeToCollectorVariant): Promise<string[]> {
  const label = `t2c-${v.encoding}-${v.compression}${v.partitionTracesById ? '' : '-unkeyed'}${v.bigTraceSpans === undefined ? '' : '-big'}`;
  const topic = await ctx.topic(label, PARTITIONS);
  const target = await ctx.tracelake('tracelake-embedded', startEmbedded);
  const collectorConfig = {
    receivers: { kafka: kafkaReceiverSection({ topic, encoding: v.encoding, groupId: `interop-${randomBytes(4).toString('hex')}` }) },
    processors: { batch: { timeout: '200ms' } },
    exporters: {
      otlp_http: { endpoint: `http://127.0.0.1:${target.ports.http}` },
      // Detailed output of thousands of spans would swamp the log: a big trace is only counted.
      debug: { verbosity: v.bigTraceSpans === undefined ? 'detailed' : 'basic' },
    },
    service: otelcolService({ receivers: ['kafka'], processors: ['batch'], exporters: ['otlp_http', 'debug'] }),
  };
  const [collector, gateway] = await Promise.all([
    ctx.otelcol('otelcol', collectorConfig),
    ctx.tracelake('tracelake-gateway', () => startGateway({ topic, ...v })),
  ]);

  const sent = makeTraces(label, 2, v.bigTraceSpans ?? 3);
  await sendSpans('http/protobuf', gateway, sent.spans);

  const contents = await readAllRecords(ctx.suite.kafka, topic, v.encoding);
  const shape = expectRecordShape(contents, sent, v);
  for (const [traceId, spans] of sent.expected) await expectTraceBack(target, traceId, spans);
  const spanIds = [...sent.expected.values()].flat().map((s) => s.spanId);
  if (v.bigTraceSpans === undefined) await expectInDebugOutput(collector, spanIds);
  const hashers = explainingHashers(contents.records, PARTITIONS);
  return [
    `Tracelake wrote ${shape}; partitions explained by ${hashers.join('/') || 'no key'}`,
    `Collector forwarded ${sent.expected.size} traces (${sent.spans.length} spans) unchanged${v.bigTraceSpans === undefined ? '; all span IDs in its debug output' : ''}`,
  ];
}

/** The debug exporter (verbosity detailed) prints `ID             : <span id>` for every span. */
async function expectInDebugOutput(collector: OtelcolProcess, spanIds: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const printed = new Set([...collector.output.matchAll(/^\s*ID\s*:\s*([0-9a-f]{16})\s*$/gm)].map((m) => m[1]!));
    const missing = spanIds.filter((id) => !printed.has(id));
    if (missing.length === 0) return;
    if (Date.now() > deadline) assert.fail(`span IDs missing from the Collector's debug output: ${missing.join(', ')}`);
    await sleep(100);
  }
}

/**
 * The tenant across a Collector relay: a Tracelake gateway writes X-Scope-OrgID as a record header; the
 * Collector's kafka receiver turns headers into request metadata, and its kafka exporter
 * (include_metadata_keys) writes it again; a multitenant Tracelake ingester files the traces under it.
 */
export async function tenantThroughCollector(ctx: CheckContext, tenant: string): Promise<string[]> {
  const first = await ctx.topic('t2c-tenant-in', PARTITIONS);
  const second = await ctx.topic('t2c-tenant-out', PARTITIONS);
  const common = { encoding: 'otlp_proto', compression: 'none', partitionTracesById: true } as const;
  const relayExporter = collectorKafkaExporterSection({ topic: second, ...common });
  relayExporter.include_metadata_keys = [TENANT_HEADER];
  const groupId = (): string => `interop-${randomBytes(4).toString('hex')}`;
  const [gateway, , ingester] = await Promise.all([
    ctx.tracelake('tracelake-gateway', () => startGateway({ topic: first, ...common })),
    ctx.otelcol('otelcol-relay', {
      receivers: { kafka: kafkaReceiverSection({ topic: first, encoding: 'otlp_proto', groupId: groupId() }) },
      exporters: { kafka: relayExporter },
      service: otelcolService({ receivers: ['kafka'], exporters: ['kafka'] }),
    }),
    ctx.tracelake('tracelake-ingester', () => startIngester({ topic: second, encoding: 'otlp_proto', groupId: groupId() }, true)),
  ]);

  const sent = makeTraces('t2c-tenant', 2);
  const exporter = new OTLPTraceExporter({ url: gateway.otlpHttpUrl, headers: { [TENANT_HEADER]: tenant }, timeoutMillis: 10_000 });
  await exportSpans(exporter, sent.spans).finally(() => exporter.shutdown());

  const written = expectRecordShape(await readAllRecords(ctx.suite.kafka, first, 'otlp_proto'), sent, { ...common, headers: { [TENANT_HEADER]: tenant } });
  const relayed = expectRecordShape(await readAllRecords(ctx.suite.kafka, second, 'otlp_proto', sent.expected.size), sent, { ...common, headers: { [TENANT_HEADER]: tenant } });
  for (const [traceId, spans] of sent.expected) await expectTraceBack(ingester, traceId, spans, tenant);
  return [
    `Tracelake wrote ${written}, each with header ${TENANT_HEADER}: ${tenant}`,
    `Collector relayed ${relayed}, each with the same header`,
    `the multitenant Tracelake ingester returned all ${sent.expected.size} traces as tenant ${tenant}`,
  ];
}
