import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { components } from '../../bin/components.ts';
import { CheckContext, type Suite } from './check-context.ts';
import { collectorToTracelake } from './collector-to-tracelake.ts';
import { BROKERS, createClient } from './kafka-records.ts';
import { partitionAgreement } from './partition-agreement.ts';
import { tenantThroughCollector, tracelakeToCollector } from './tracelake-to-collector.ts';

/**
 * Runs every Collector interop check in turn (see collector.sh, which builds the Collector and calls this):
 *   node test/interop/collector-interop.ts --otelcol <binary> --run-dir <dir> [--only <substring>]
 * Prints one line per check and a closing `N passed, M failed`; exits 0 only when every check passed.
 */

interface Check { readonly id: string; readonly title: string; run(ctx: CheckContext): Promise<string[]> }

const CHECKS: readonly Check[] = [
  { id: 'c2t-proto', title: 'Collector → Tracelake: otlp_proto, partition_traces_by_id', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'none', partitionTracesById: true }) },
  { id: 'c2t-json', title: 'Collector → Tracelake: otlp_json, partition_traces_by_id', run: (c) => collectorToTracelake(c, { encoding: 'otlp_json', compression: 'none', partitionTracesById: true }) },
  { id: 'c2t-zstd', title: 'Collector → Tracelake: otlp_proto, compression zstd', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'zstd', partitionTracesById: true }) },
  { id: 'c2t-gzip', title: 'Collector → Tracelake: otlp_proto, compression gzip', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'gzip', partitionTracesById: true }) },
  { id: 'c2t-snappy', title: 'Collector → Tracelake: otlp_proto, compression snappy', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'snappy', partitionTracesById: true }) },
  { id: 'c2t-lz4', title: 'Collector → Tracelake: otlp_proto, compression lz4', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'lz4', partitionTracesById: true }) },
  // 6000 spans: a record of ~750 KB, under the Collector's producer.max_message_bytes (1000000), which it does not split.
  { id: 'c2t-big', title: 'Collector → Tracelake: otlp_proto, zstd, traces of 6000 spans', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'zstd', partitionTracesById: true, bigTraceSpans: 6000 }) },
  { id: 'c2t-unkeyed', title: 'Collector → Tracelake: otlp_proto, one unkeyed record per request', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'none', partitionTracesById: false }) },
  { id: 'c2t-tenant', title: 'Collector → Tracelake: X-Scope-OrgID as a record header (include_metadata_keys)', run: (c) => collectorToTracelake(c, { encoding: 'otlp_proto', compression: 'none', partitionTracesById: true, tenant: 'team-a' }) },
  { id: 't2c-proto', title: 'Tracelake → Collector: otlp_proto, partition_traces_by_id', run: (c) => tracelakeToCollector(c, { encoding: 'otlp_proto', compression: 'none', partitionTracesById: true }) },
  { id: 't2c-json', title: 'Tracelake → Collector: otlp_json, partition_traces_by_id', run: (c) => tracelakeToCollector(c, { encoding: 'otlp_json', compression: 'none', partitionTracesById: true }) },
  { id: 't2c-zstd', title: 'Tracelake → Collector: otlp_proto, compression zstd', run: (c) => tracelakeToCollector(c, { encoding: 'otlp_proto', compression: 'zstd', partitionTracesById: true }) },
  { id: 't2c-gzip', title: 'Tracelake → Collector: otlp_proto, compression gzip', run: (c) => tracelakeToCollector(c, { encoding: 'otlp_proto', compression: 'gzip', partitionTracesById: true }) },
  // 8000 spans: ~1 MB a trace, which Tracelake splits into records under max_message_bytes, all keyed by the trace.
  { id: 't2c-big', title: 'Tracelake → Collector: otlp_proto, zstd, traces of 8000 spans split into several records', run: (c) => tracelakeToCollector(c, { encoding: 'otlp_proto', compression: 'zstd', partitionTracesById: true, bigTraceSpans: 8000 }) },
  { id: 't2c-unkeyed', title: 'Tracelake → Collector: otlp_proto, one unkeyed record per request', run: (c) => tracelakeToCollector(c, { encoding: 'otlp_proto', compression: 'none', partitionTracesById: false }) },
  { id: 't2c-tenant', title: 'Tracelake → Collector relay → Tracelake: X-Scope-OrgID record header kept', run: (c) => tenantThroughCollector(c, 'team-b') },
  { id: 'partition-default', title: 'Same trace ID → same partition: Tracelake vs Collector (default partitioner)', run: (c) => partitionAgreement(c, undefined) },
];

const { values } = parseArgs({ options: { otelcol: { type: 'string' }, 'run-dir': { type: 'string' }, only: { type: 'string' } } });
if (values.otelcol === undefined || values['run-dir'] === undefined) {
  process.stderr.write('usage: node test/interop/collector-interop.ts --otelcol <binary> --run-dir <dir> [--only <substring>]\n');
  process.exit(2);
}

function requireKafkaComponents(): void {
  const missing = ['exporter', 'receiver'].filter((kind) => !components.some((f) => f.type === 'kafka' && f.kind === kind));
  if (missing.length > 0) throw new Error(`bin/components.ts has no kafka ${missing.join(' or ')}: nothing to check interop with`);
}

async function connectBroker(suite: Omit<Suite, 'runDir' | 'otelcol'>): Promise<void> {
  try {
    await suite.admin.connect();
    await suite.admin.listTopics();
  } catch (err) {
    throw new Error(`Kafka broker ${BROKERS.join(',')} unreachable (${(err as Error).message}): run \`npm run services:up\``, { cause: err });
  }
}

async function main(): Promise<number> {
  requireKafkaComponents();
  const kafka = createClient('tracelake-interop-checker');
  const suite: Suite = { otelcol: values.otelcol!, kafka, admin: kafka.admin(), runDir: values['run-dir']! };
  await mkdir(suite.runDir, { recursive: true });
  await connectBroker(suite);
  const selected = CHECKS.filter((c) => values.only === undefined || c.id.includes(values.only));
  const results: Array<{ check: Check; ok: boolean; lines: string[]; ms: number }> = [];
  try {
    for (const check of selected) {
      const started = Date.now();
      const ctx = await CheckContext.create(suite, check.id);
      let ok = false;
      let lines: string[] = [];
      try {
        lines = await check.run(ctx);
        ok = true;
      } catch (err) {
        lines = [`${(err as Error).message}`.split('\n').slice(0, 40).join('\n      '), `logs and configs: ${ctx.dir}`];
      } finally {
        lines.push(...(await ctx.close(!ok)));
      }
      const ms = Date.now() - started;
      results.push({ check, ok, lines, ms });
      process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${check.id}: ${check.title} (${(ms / 1000).toFixed(1)} s)\n`);
      for (const line of lines) process.stdout.write(`      ${line}\n`);
    }
  } finally {
    await suite.admin.disconnect();
  }
  const failed = results.filter((r) => !r.ok);
  process.stdout.write(`\nCollector interop summary (${join(suite.runDir)}):\n`);
  for (const r of results) process.stdout.write(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.check.id.padEnd(18)} ${r.check.title}\n`);
  process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 && results.length > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`collector interop: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
