import assert from 'node:assert/strict';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import type { WriteBlockOptions } from '../../../backend/block/write-block.ts';
import { KafkaIngester } from '../../../backend/ingest/kafka-ingester.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { assertBrokerReachable, createTopic, deleteTopic, testKafka, uniqueTopicName } from '../../integration/kafka-broker.ts';
import { waitFor } from '../../integration/tempo-client.ts';
import { encodeTrace } from '../../support/otlp-traces.ts';

/** A block write as the ingester asked for it. */
interface Written { readonly blockID: string; readonly traces: number }

/** Records every block write; `hang` makes writes record and then never settle (a process frozen mid-flush). */
function recordingWriter(hang: boolean): { written: Written[]; write: (o: WriteBlockOptions) => Promise<BlockMeta> } {
  const written: Written[] = [];
  return {
    written,
    write: (o) => {
      written.push({ blockID: o.blockID, traces: o.entries.length });
      if (hang) return new Promise<BlockMeta>(() => undefined);
      return Promise.resolve({ blockID: o.blockID, tenantID: o.tenantID, startTime: new Date().toISOString(), endTime: new Date().toISOString() } as BlockMeta);
    },
  };
}

/** The client an ingester is given, keeping the consumer and admin it makes so a test can cut them off. */
function capturingKafka(): { kafka: Kafka; cutOff: () => Promise<void> } {
  const kafka = testKafka(uniqueTopicName('ingester'));
  const made: (Consumer | Admin)[] = [];
  const wrapped = Object.create(kafka) as Kafka;
  wrapped.consumer = (config) => { const c = kafka.consumer(config); made.push(c); return c; };
  wrapped.admin = (config) => { const a = kafka.admin(config); made.push(a); return a; };
  return { kafka: wrapped, cutOff: async () => { for (const c of made) await c.disconnect(); } };
}

async function produce(topic: string, traces: number, from: number): Promise<void> {
  const producer = testKafka('ingester-test-producer').producer();
  await producer.connect();
  try {
    const messages = Array.from({ length: traces }, (_, i) => {
      const hex = (from + i + 1).toString(16).padStart(32, '0');
      return { key: hex, value: Buffer.from(encodeTrace([{ service: 'svc', scopes: [{ name: 'lib', spans: [{ traceId: hex, spanId: '00000000000000aa', name: 'op' }] }] }])) };
    });
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

describe('KafkaIngester against the real broker', function () {
  this.timeout(60_000);
  let topic = '';
  const stops: (() => Promise<void>)[] = [];

  before(() => assertBrokerReachable());
  beforeEach(async () => { topic = await createTopic(1, 'ingester-intent'); });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await deleteTopic(topic);
  });

  function ingester(kafka: Kafka, groupId: string, write: (o: WriteBlockOptions) => Promise<BlockMeta>, maxBlockDurationMs: number): KafkaIngester {
    return new KafkaIngester({
      kafka, topic, groupId, encoding: 'otlp_proto', fromBeginning: true, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500,
      maxWaitMs: 100, multitenancy: false, store: new LocalObjectStore('/nonexistent-unused'), writeBlock: write,
      bloomFalsePositive: 0.01, maxBlockDurationMs, maxBlockBytes: 64 * 1024 * 1024, maxUnflushedBytes: 256 * 1024 * 1024,
      completeBlockTimeoutMs: 60_000, onBlockFlushed: () => undefined, logger: pino({ level: 'silent' }), metrics: new Registry(),
    });
  }

  it('redoes a flush cut off after its blocks were written with the same range and block ID, then goes on from there', async function () {
    const groupId = uniqueTopicName('ingester-intent-group');
    await produce(topic, 10, 0);

    // The first ingester cuts [0, 9], commits that intent, writes its block, and freezes before committing 10.
    const first = capturingKafka();
    const frozen = recordingWriter(true);
    const a = ingester(first.kafka, groupId, frozen.write, 1500);
    await a.start();
    await waitFor('the first ingester writing its block', async () => (frozen.written.length === 1 ? true : undefined), 20_000);
    assert.equal(frozen.written[0]!.traces, 10);
    await first.cutOff(); // as kill -9: no last commit, no flush of anything else

    await produce(topic, 5, 10);
    const resumed = recordingWriter(false);
    const b = ingester(testKafka(uniqueTopicName('ingester')), groupId, resumed.write, 1500);
    stops.push(() => b.shutdown());
    await b.start();
    await waitFor('the second ingester writing both ranges', async () => (resumed.written.length >= 2 ? true : undefined), 30_000);
    assert.deepEqual(resumed.written[0], frozen.written[0], 'the interrupted range again: same block ID, same traces');
    assert.equal(resumed.written[1]!.traces, 5, 'then the records after it, once');
    assert.notEqual(resumed.written[1]!.blockID, resumed.written[0]!.blockID);

    const admin = testKafka('ingester-test-admin').admin();
    await admin.connect();
    try {
      await waitFor('offset 15 committed', async () => {
        const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return t?.partitions[0]?.offset === '15' ? true : undefined;
      }, 20_000);
    } finally {
      await admin.disconnect();
    }
  });
});
