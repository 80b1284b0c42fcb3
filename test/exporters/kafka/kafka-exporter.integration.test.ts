import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import kafkajs from 'kafkajs';
import type { KafkaExporterConfig } from '../../../exporters/kafka/config.ts';
import { kafkaExporterFactory } from '../../../exporters/kafka/factory.ts';
import { saramaPartition } from '../../../exporters/kafka/trace-id-partitioner.ts';
import type { TracesComponent } from '../../../pipeline/component.ts';
import { deepMerge } from '../../../pipeline/config/deep-merge.ts';
import { BadRequestError, QueueFullError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import {
  assertBrokerReachable, createTopic, deleteTopic, endOffsets, kafkaBrokers, readAll, type KafkaRecord,
} from '../../integration/kafka-broker.ts';
import { decodeMessage } from '../../integration/trace-proto.ts';
import { traceFixture } from '../../pipeline/kafka/trace-fixtures.ts';
import { testSettings } from '../../receivers/otlp/receiver-harness.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs; // CommonJS: no named exports under Node's ESM
type Codec = { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;

const HOST = { signal: new AbortController().signal };

interface Span { traceId: Buffer; spanId: Buffer }

/** The spans of a record value, decoded with protobufjs and the test's own .proto, not Tracelake's codec. */
function spansOf(value: Buffer): Span[] {
  const data = decodeMessage('TracesData', value) as { resourceSpans?: { scopeSpans?: { spans?: Span[] }[] }[] };
  return (data.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
}

async function totalRecords(topic: string): Promise<number> {
  let n = 0;
  for (const end of (await endOffsets(topic)).values()) n += end;
  return n;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Counts how often kafkajs compresses with `type` until restored: proof the records really were compressed. */
function countCompression(type: number): { count: () => number; restore: () => void } {
  const original = codecs[type]!;
  let count = 0;
  codecs[type] = () => {
    const codec = original();
    return { compress: (encoder) => { count++; return codec.compress(encoder); }, decompress: (b) => codec.decompress(b) };
  };
  return { count: () => count, restore: () => { codecs[type] = original; } };
}

describe('kafka exporter against the real Kafka broker', function () {
  this.timeout(60_000);
  const topics: string[] = [];
  const exporters: TracesComponent[] = [];

  async function start(overrides: Record<string, unknown>, id = 'kafka'): Promise<TracesComponent> {
    const config = deepMerge(kafkaExporterFactory.createDefaultConfig(), {
      brokers: kafkaBrokers(), producer: { allow_auto_topic_creation: false }, ...overrides,
    }) as KafkaExporterConfig;
    const exporter = kafkaExporterFactory.createTraces(testSettings(id), config);
    exporters.push(exporter);
    await exporter.start(HOST);
    return exporter;
  }

  async function topic(partitions: number): Promise<string> {
    const name = await createTopic(partitions, 'kafka-exporter');
    topics.push(name);
    return name;
  }

  before(() => assertBrokerReachable());

  afterEach(async () => {
    for (const exporter of exporters.splice(0)) await exporter.shutdown();
  });

  after(async () => {
    for (const name of topics.splice(0)) await deleteTopic(name);
  });

  it('writes ExportTraceServiceRequest records keyed by trace ID, each trace in one partition', async () => {
    const name = await topic(6);
    const exporter = await start({ traces: { topic: name }, partition_traces_by_id: true });
    const first = traceFixture({ services: 2, traces: 5, spansPerTrace: 2 });
    await exporter.consumeTraces(first.batch, {});
    await exporter.consumeTraces(traceFixture({ services: 1, traces: 3 }).batch, {});
    const records = await readAll(name, { expected: 8 });
    assert.equal(records.length, 8, 'one record per trace per request');
    const partitionOf = new Map<string, number>();
    for (const record of records) {
      const key = record.key!.toString();
      assert.match(key, /^[0-9a-f]{32}$/);
      assert.equal(record.partition, saramaPartition(record.key!, 6), 'the Collector\'s partition for this key');
      const spans = spansOf(record.value);
      assert.ok(spans.length > 0);
      for (const span of spans) assert.equal(span.traceId.toString('hex'), key, 'a record holds one trace');
      assert.equal(partitionOf.get(key) ?? record.partition, record.partition);
      partitionOf.set(key, record.partition);
    }
    for (const traceId of first.traceIds) {
      const spans = records.filter((r) => r.key!.toString() === traceId).flatMap((r) => spansOf(r.value));
      assert.equal(spans.length, 4, `every span of ${traceId}`);
    }
    assert.ok(new Set(partitionOf.values()).size > 1, 'traces spread over partitions');
  });

  it('with multitenancy_enabled, refuses a request without a valid tenant before anything reaches Kafka', async () => {
    const name = await topic(1);
    const exporter = await start({ traces: { topic: name }, multitenancy_enabled: true });
    await assert.rejects(exporter.consumeTraces(traceFixture().batch, {}), (err: unknown) => err instanceof UnauthorizedError);
    await assert.rejects(exporter.consumeTraces(traceFixture().batch, { tenant: '..' }), (err: unknown) => err instanceof BadRequestError);
    await assert.rejects(exporter.consumeTraces(traceFixture().batch, { tenant: 'a/b' }), (err: unknown) => err instanceof BadRequestError);
    await exporter.consumeTraces(traceFixture({ services: 1, traces: 1 }).batch, { tenant: 'acme' });
    const records = await readAll(name, { expected: 1 });
    assert.equal(records.length, 1, 'only the request with a valid tenant');
    assert.equal(await totalRecords(name), 1);
  });

  it('resolves consumeTraces only once the broker has the records', async () => {
    const name = await topic(3);
    const exporter = await start({ traces: { topic: name }, partition_traces_by_id: true });
    let expected = 0;
    for (let i = 0; i < 5; i++) {
      await exporter.consumeTraces(traceFixture({ traces: 4 }).batch, {});
      expected += 4;
      assert.equal(await totalRecords(name), expected, 'end offsets read right after the call resolved');
    }
  });

  it('writes one unkeyed record per request without partition_traces_by_id, with the tenant header', async () => {
    const name = await topic(2);
    const exporter = await start({ traces: { topic: name } });
    const { batch } = traceFixture({ services: 2, traces: 4 });
    await exporter.consumeTraces(batch, { tenant: 'team-a' });
    await exporter.consumeTraces(traceFixture().batch, {});
    const records = await readAll(name, { expected: 2 });
    assert.equal(records.length, 2);
    const withTenant = records.find((r) => r.headers['X-Scope-OrgID'] !== undefined)!;
    assert.deepEqual(withTenant.headers['X-Scope-OrgID']!.map(String), ['team-a']);
    assert.equal(withTenant.key, null);
    assert.equal(spansOf(withTenant.value).length, batch.spanCount);
    const other = records.find((r) => r !== withTenant)!;
    assert.deepEqual(other.headers, {});
  });

  it('coalesces concurrent requests into few produce calls', async () => {
    const name = await topic(4);
    const settings = testSettings('coalesce');
    const config = deepMerge(kafkaExporterFactory.createDefaultConfig(), {
      brokers: kafkaBrokers(), traces: { topic: name }, partition_traces_by_id: true,
    }) as KafkaExporterConfig;
    const exporter = kafkaExporterFactory.createTraces(settings, config);
    exporters.push(exporter);
    await exporter.start(HOST);
    await Promise.all(Array.from({ length: 50 }, () => exporter.consumeTraces(traceFixture({ traces: 2 }).batch, {})));
    assert.equal(await totalRecords(name), 100);
    const calls = (await settings.metrics.getSingleMetric('tracelake_exporter_kafka_produce_calls_total')!.get()).values[0]!.value;
    assert.ok(calls <= 3, `${calls} sendBatch calls for 50 concurrent requests`);
  });

  it('writes otlp_json records a JSON parser reads as OTLP/JSON', async () => {
    const name = await topic(1);
    const exporter = await start({ traces: { topic: name, encoding: 'otlp_json' }, partition_traces_by_id: true });
    const { batch, traceIds } = traceFixture({ services: 1, traces: 2, spansPerTrace: 3 });
    await exporter.consumeTraces(batch, {});
    const records = await readAll(name, { expected: 2 });
    for (const record of records) {
      const json = JSON.parse(record.value.toString('utf8'));
      const spans = json.resourceSpans[0].scopeSpans[0].spans as { traceId: string; spanId: string }[];
      assert.equal(spans.length, 3);
      assert.ok(spans.every((s) => s.traceId === record.key!.toString() && /^[0-9a-f]{16}$/.test(s.spanId)));
    }
    assert.deepEqual(records.map((r) => r.key!.toString()).sort(), [...traceIds].sort());
  });

  const compressions = [
    ['gzip', CompressionTypes.GZIP], ['zstd', CompressionTypes.ZSTD], ['snappy', CompressionTypes.Snappy], ['lz4', CompressionTypes.LZ4],
  ] as const;
  for (const [compression, type] of compressions) {
    // The broker decompresses each batch to validate it (Java: snappy-java, Kafka's Lz4BlockInputStream), so
    // acceptance proves the Java side reads it; 6 traces × 40 KB span several 32/64 KiB codec blocks.
    it(`writes ${compression}-compressed batches the broker validates and a plain consumer reads`, async () => {
      const name = await topic(2);
      const exporter = await start({ traces: { topic: name }, partition_traces_by_id: true, producer: { compression } });
      const counter = countCompression(type); // after start: the exporter registers its codecs when created
      let records: KafkaRecord[];
      try {
        await exporter.consumeTraces(traceFixture({ traces: 6, spansPerTrace: 40, padding: 500 }).batch, {});
        assert.ok(counter.count() > 0, 'kafkajs compressed the records');
      } finally {
        counter.restore();
      }
      records = await readAll(name, { expected: 6 });
      assert.equal(records.length, 6);
      for (const record of records) assert.ok(spansOf(record.value).every((s) => s.traceId.toString('hex') === record.key!.toString()));
    });
  }

  it('splits a request over producer.max_message_bytes into records the broker takes', async () => {
    const name = await topic(1);
    const exporter = await start({ traces: { topic: name }, producer: { max_message_bytes: 16384 } });
    const { batch } = traceFixture({ services: 2, traces: 40, spansPerTrace: 2, padding: 1000 });
    await exporter.consumeTraces(batch, {});
    const records = await readAll(name, { expected: 2 });
    assert.ok(records.length > 5);
    assert.ok(records.every((r) => r.value.length < 16384));
    assert.equal(records.reduce((n, r) => n + spansOf(r.value).length, 0), batch.spanCount);
  });

  it('fails with a RetryableError after the timeout when the broker is unreachable', async () => {
    const exporter = await start({
      brokers: [`127.0.0.1:${await closedPort()}`], timeout: '300ms', retry_on_failure: { enabled: false },
    }, 'kafka/unreachable');
    await assert.rejects(exporter.consumeTraces(traceFixture().batch, {}), (err: unknown) => {
      assert.ok(err instanceof RetryableError);
      return true;
    });
  });

  it('gives up retrying after max_elapsed_time with a RetryableError', async () => {
    const exporter = await start({
      brokers: [`127.0.0.1:${await closedPort()}`],
      timeout: '200ms',
      retry_on_failure: { initial_interval: '50ms', max_interval: '100ms', max_elapsed_time: '600ms' },
    }, 'kafka/unreachable');
    await assert.rejects(exporter.consumeTraces(traceFixture().batch, {}), /no more retries left/);
  });

  it('with the queue on, accepts until the queue is full, then refuses with QueueFullError', async () => {
    const exporter = await start({
      brokers: [`127.0.0.1:${await closedPort()}`],
      timeout: '300ms',
      sending_queue: { enabled: true, num_consumers: 1, queue_size: 2 },
    }, 'kafka/queue');
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(traceFixture().batch, {});
    await assert.rejects(exporter.consumeTraces(traceFixture().batch, {}), QueueFullError);
  });
});
