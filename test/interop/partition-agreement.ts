import assert from 'node:assert/strict';
import { sendSpans } from '../integration/sdk-spans.ts';
import { freePort } from '../integration/tracelake-process.ts';
import type { CheckContext } from './check-context.ts';
import { makeTraces } from './interop-traces.ts';
import { readAllRecords } from './kafka-records.ts';
import { collectorKafkaExporterSection, type ExporterOptions } from './kafka-sections.ts';
import { otelcolService } from './otelcol-process.ts';
import { explainingHashers, type Hasher } from './partition-hash.ts';
import { startGateway } from './tracelake-roles.ts';

/**
 * A mixed gateway fleet (or a rolling swap) keeps each trace in one partition only if a Collector gateway and
 * a Tracelake gateway put the same trace ID in the same partition: the same traces go through both, each into
 * its own topic with the same partition count, and the partitions per key are compared.
 */

const PARTITIONS = 8;
const TRACES = 16;

export async function partitionAgreement(ctx: CheckContext, collectorHasher: Hasher | undefined): Promise<string[]> {
  const label = `part-${collectorHasher ?? 'default'}`;
  const [collectorTopic, tracelakeTopic] = [await ctx.topic(`${label}-c`, PARTITIONS), await ctx.topic(`${label}-t`, PARTITIONS)];
  const common = { encoding: 'otlp_proto', compression: 'none', partitionTracesById: true } as const;
  const grpc = await freePort();
  const collectorOptions: ExporterOptions = { topic: collectorTopic, ...common, ...(collectorHasher === undefined ? {} : { collectorHasher }) };
  const [, gateway] = await Promise.all([
    ctx.otelcol('otelcol', {
      receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${grpc}` } } } },
      exporters: { kafka: collectorKafkaExporterSection(collectorOptions) },
      service: otelcolService({ receivers: ['otlp'], exporters: ['kafka'] }),
    }),
    ctx.tracelake('tracelake-gateway', () => startGateway({ topic: tracelakeTopic, ...common })),
  ]);

  const sent = makeTraces(label, TRACES - 1);
  await sendSpans('grpc', { otlpGrpcUrl: `http://127.0.0.1:${grpc}`, otlpHttpUrl: '' }, sent.spans);
  await sendSpans('grpc', gateway, sent.spans);
  const collector = (await readAllRecords(ctx.suite.kafka, collectorTopic, 'otlp_proto')).records;
  const tracelake = (await readAllRecords(ctx.suite.kafka, tracelakeTopic, 'otlp_proto')).records;

  const byKey = (records: typeof collector): Map<string | null, number> => new Map(records.map((r) => [r.key, r.partition]));
  const c = byKey(collector);
  const t = byKey(tracelake);
  const ids = [...sent.expected.keys()];
  const same = ids.filter((id) => c.get(id) !== undefined && c.get(id) === t.get(id));
  const setting = collectorHasher === undefined ? 'default record_partitioner' : `record_partitioner.sticky_key.hasher ${collectorHasher}`;
  const details = [
    `Collector (${setting}) placement explained by: ${explainingHashers(collector, PARTITIONS).join('/') || 'neither hasher'}`,
    `Tracelake placement explained by: ${explainingHashers(tracelake, PARTITIONS).join('/') || 'neither hasher'}`,
    `same partition for ${same.length} of ${ids.length} trace IDs (${PARTITIONS} partitions)`,
  ];
  assert.equal(same.length, ids.length, `${details.join('; ')}; first differing: ${ids.filter((id) => !same.includes(id)).slice(0, 3)
    .map((id) => `${id} Collector p${c.get(id)} Tracelake p${t.get(id)}`).join(', ')}`);
  return details;
}
