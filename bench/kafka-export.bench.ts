/**
 * The kafka exporter against the real broker (`npm run services:up`): prebuilt requests of ~500-byte spans
 * go straight to consumeTraces from concurrent callers, as a busy gateway's receivers would call it.
 *
 *   node bench/kafka-export.bench.ts [--seconds 10] [--concurrency 32] [--spans-per-request 500]
 *                                    [--spans-per-trace 10] [--span-bytes 500] [--partitions 12]
 *                                    [--by-trace-id off|on|both] [--compression none|zstd|both]
 *
 * For partition_traces_by_id off/on × compression none/zstd prints spans/s and MB/s acknowledged (OTLP
 * protobuf bytes), records and produce calls (kafkajs sendBatch) per second, and this process's CPU seconds
 * per million spans. The broker runs on the same machine; its CPU is not counted.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { KafkaExporterConfig } from '../exporters/kafka/config.ts';
import { kafkaExporterFactory } from '../exporters/kafka/factory.ts';
import { deepMerge } from '../pipeline/config/deep-merge.ts';
import { decodeTraceRequest } from '../pipeline/otlp/decode-trace-request.ts';
import type { TraceBatch } from '../pipeline/trace-batch.ts';
import { assertBrokerReachable, createTopic, deleteTopic, kafkaBrokers } from '../test/integration/kafka-broker.ts';
import { buildRequest, TraceIdSource } from './load-request.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    'spans-per-request': { type: 'string', default: '500' },
    'spans-per-trace': { type: 'string', default: '10' },
    'span-bytes': { type: 'string', default: '500' },
    partitions: { type: 'string', default: '12' },
    'by-trace-id': { type: 'string', default: 'both' },
    compression: { type: 'string', default: 'both' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const shape = { spans: Number(values['spans-per-request']), spansPerTrace: Number(values['spans-per-trace']), spanBytes: Number(values['span-bytes']) };
const partitions = Number(values.partitions);

interface Request { readonly batch: TraceBatch; readonly bytes: number }

/** Distinct requests (fresh trace IDs each), decoded once up front so the run measures the exporter only. */
function prebuild(count: number): Request[] {
  const template = buildRequest(shape);
  const ids = new TraceIdSource();
  return Array.from({ length: count }, () => {
    ids.stamp(template);
    const body = Buffer.from(template.body);
    return { batch: decodeTraceRequest(body).batch, bytes: body.length };
  });
}

interface Result { spans: number; bytes: number; calls: number; records: number; cpuSeconds: number; wallSeconds: number; failures: number }

async function metricValue(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  return metric === undefined ? 0 : (await metric.get()).values.reduce((n, v) => n + v.value, 0);
}

async function run(requests: readonly Request[], byTraceId: boolean, compression: 'none' | 'zstd'): Promise<Result> {
  const topic = await createTopic(partitions, 'bench');
  const metrics = new Registry();
  const config = deepMerge(kafkaExporterFactory.createDefaultConfig(), {
    brokers: kafkaBrokers(), traces: { topic }, partition_traces_by_id: byTraceId, producer: { compression },
  }) as KafkaExporterConfig;
  const settings = { id: 'kafka', logger: pino({ level: 'warn' }), metrics, build: { version: 'bench', revision: 'bench', goVersion: 'none' } };
  const exporter = kafkaExporterFactory.createTraces(settings, config);
  await exporter.start({ signal: new AbortController().signal });
  const result = { spans: 0, bytes: 0, failures: 0 };
  const end = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const request = requests[next++ % requests.length]!;
      try {
        await exporter.consumeTraces(request.batch, {});
        result.spans += request.batch.spanCount;
        result.bytes += request.bytes;
      } catch {
        result.failures++;
      }
    }
  }));
  const wallSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const out = {
    ...result,
    calls: await metricValue(metrics, 'tracelake_exporter_kafka_produce_calls_total'),
    records: await metricValue(metrics, 'tracelake_exporter_kafka_records_total'),
    cpuSeconds: (used.user + used.system) / 1e6,
    wallSeconds,
  };
  await exporter.shutdown();
  await deleteTopic(topic);
  return out;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

await assertBrokerReachable();
const requests = prebuild(64);
const spanSize = requests[0]!.bytes / shape.spans;
process.stdout.write(`kafka exporter → ${kafkaBrokers().join(',')}, topic of ${partitions} partitions; ${concurrency} concurrent callers, `
  + `${shape.spans} spans/request (~${fmt(spanSize)} B/span, ${shape.spansPerTrace} spans/trace), ${seconds} s each; `
  + `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n\n`);
process.stdout.write('by trace ID  compression     spans/s    MB/s  records/s  produce calls/s  CPU s / M spans  failed\n');
const pick = <T extends string>(value: string | undefined, all: readonly T[]): T[] =>
  value === undefined || value === 'both' ? [...all] : all.filter((v) => v === value);
for (const byTraceId of pick(values['by-trace-id'], ['off', 'on'] as const).map((v) => v === 'on')) {
  for (const compression of pick(values.compression, ['none', 'zstd'] as const)) {
    const r = await run(requests, byTraceId, compression);
    const perSecond = (n: number): string => fmt(n / r.wallSeconds);
    process.stdout.write(`${(byTraceId ? 'on' : 'off').padEnd(13)}${compression.padEnd(12)}${perSecond(r.spans).padStart(11)}`
      + `${fmt(r.bytes / r.wallSeconds / 1e6, 1).padStart(8)}${perSecond(r.records).padStart(11)}${perSecond(r.calls).padStart(17)}`
      + `${fmt(r.cpuSeconds / (r.spans / 1e6), 2).padStart(17)}${String(r.failures).padStart(8)}\n`);
  }
}
