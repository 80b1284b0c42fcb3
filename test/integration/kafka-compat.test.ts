import assert from 'node:assert/strict';
import kafkajs, { type Consumer, type EachBatchPayload, type Message } from 'kafkajs';
import {
  assertBrokerReachable,
  createTopic,
  deleteTopic,
  endOffsets,
  readAll,
  testKafka,
  uniqueTopicName,
  type KafkaRecord,
} from './kafka-broker.ts';
import { waitFor } from './tempo-client.ts';

// Tracelake's Kafka components are built on kafkajs 2.2.4, which predates Kafka 4 (KIP-896 removed old
// protocol versions there). These tests pin down, against the real broker, everything those components use.

const { CompressionCodecs, CompressionTypes, Partitioners } = kafkajs; // CommonJS: no named exports under ESM

type Codec = { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;

/** Counts how often kafkajs used the codec for `type` until `restore()`: proof the data really was compressed. */
function countCodecUse(type: number): { compressed: number; decompressed: number; restore(): void } {
  const original = codecs[type]!;
  const counts = {
    compressed: 0,
    decompressed: 0,
    restore: () => { codecs[type] = original; },
  };
  codecs[type] = () => {
    const codec = original();
    return {
      compress: (encoder) => { counts.compressed++; return codec.compress(encoder); },
      decompress: (buffer) => { counts.decompressed++; return codec.decompress(buffer); },
    };
  };
  return counts;
}

function keyedMessages(count: number, keys: number, tag: string): Message[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${i % keys}`,
    value: Buffer.from(`${tag}-${i} ${'span bytes '.repeat(20)}`),
    headers: { 'X-Scope-OrgID': 'tenant-a', seq: `${tag}-${i}` },
  }));
}

/** Asserts that every key was written to exactly one partition; returns key → partition. */
function partitionOfEachKey(records: readonly KafkaRecord[]): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const r of records) {
    const key = r.key!.toString();
    const seen = byKey.get(key) ?? r.partition;
    assert.equal(r.partition, seen, `key ${key} in partitions ${seen} and ${r.partition}`);
    byKey.set(key, seen);
  }
  return byKey;
}

describe('kafkajs against the real Kafka broker', function () {
  const kafka = testKafka('tracelake-compat-test');
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  const topics: string[] = [];
  const newTopic = async (partitions: number): Promise<string> => {
    const topic = await createTopic(partitions, 'compat');
    topics.push(topic);
    return topic;
  };

  before(async function () {
    await assertBrokerReachable();
    await producer.connect();
  });

  after(async function () {
    await producer.disconnect();
    for (const topic of topics.splice(0)) await deleteTopic(topic);
  });

  it('creates a topic with 4 partitions, each with a leader', async function () {
    const topic = await newTopic(4);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics: [meta] } = await admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(meta!.name, topic);
      assert.deepEqual(meta!.partitions.map((p) => p.partitionId).sort(), [0, 1, 2, 3]);
      for (const p of meta!.partitions) assert.ok(p.leader >= 0, `partition ${p.partitionId} has no leader`);
    } finally {
      await admin.disconnect();
    }
  });

  for (const [name, type] of [['none', CompressionTypes.None], ['gzip', CompressionTypes.GZIP], ['zstd', CompressionTypes.ZSTD]] as const) {
    it(`round-trips keyed batches sent with sendBatch, compression ${name}`, async function () {
      const topic = await newTopic(4);
      const usage = type === CompressionTypes.None ? undefined : countCodecUse(type);
      let records: KafkaRecord[];
      try {
        const sent = [];
        for (let b = 0; b < 3; b++) {
          const messages = keyedMessages(50, 20, `b${b}`);
          sent.push(...messages);
          const result = await producer.sendBatch({ topicMessages: [{ topic, messages }], compression: type, acks: -1 });
          for (const r of result) assert.equal(r.errorCode, 0, `partition ${r.partition}`);
        }
        records = await readAll(topic, { expected: sent.length });
        assert.equal(records.length, sent.length);
        const bySeq = new Map(records.map((r) => [r.headers.seq![0]!.toString(), r]));
        for (const m of sent) {
          const r = bySeq.get(m.headers!.seq as string);
          assert.ok(r, `message ${String(m.headers!.seq)} missing`);
          assert.equal(r.key!.toString(), m.key);
          assert.deepEqual(r.value, m.value);
          assert.deepEqual(r.headers['X-Scope-OrgID'], [Buffer.from('tenant-a')]);
        }
      } finally {
        usage?.restore();
      }
      const partitions = new Set(partitionOfEachKey(records).values());
      assert.ok(partitions.size > 1, `20 keys all landed in partition ${[...partitions].join()}`);
      if (usage !== undefined) {
        assert.ok(usage.compressed >= 3, `${name} compressed ${usage.compressed} times`);
        assert.ok(usage.decompressed >= 1, `${name} decompressed ${usage.decompressed} times`);
      }
    });
  }

  it('resumes a consumer group from its committed offsets after the consumer restarts', async function () {
    const topic = await newTopic(4);
    const groupId = uniqueTopicName('compat-group');
    const produce = async (messages: Message[]): Promise<void> => {
      await producer.sendBatch({ topicMessages: [{ topic, messages }], compression: CompressionTypes.GZIP, acks: -1 });
    };
    await produce(keyedMessages(80, 32, 'first'));
    const firstEnds = await endOffsets(topic);
    // The first consumer processes everything but commits only the first half of each partition: a crash
    // between processing and committing. Its successor must start exactly there.
    const commitAt = new Map([...firstEnds].map(([p, end]) => [p, Math.floor(end / 2)]));
    for (const [p, at] of commitAt) assert.ok(at > 0, `partition ${p} got too few records for this test`);

    const first = await runGroupConsumer(groupId, topic, (p, next) => Math.min(next, commitAt.get(p)!));
    await waitFor('the first consumer to read every record', async () => (first.records.length >= 80 ? true : undefined));
    await first.consumer.disconnect();
    assert.equal(first.records.length, 80);
    assert.deepEqual(await committedOffsets(groupId, topic), commitAt);

    await produce(keyedMessages(40, 32, 'second'));
    const secondEnds = await endOffsets(topic);
    const expected = [...secondEnds].reduce((n, [p, end]) => n + end - commitAt.get(p)!, 0);
    const second = await runGroupConsumer(groupId, topic, (_p, next) => next);
    await waitFor('the restarted consumer to catch up', async () => (second.records.length >= expected ? true : undefined));
    await second.consumer.disconnect();

    assert.equal(second.records.length, expected);
    for (const [p, at] of commitAt) {
      const offsets = second.records.filter((r) => r.partition === p).map((r) => Number(r.offset));
      const end = secondEnds.get(p)!;
      assert.deepEqual(offsets, Array.from({ length: end - at }, (_, i) => at + i), `partition ${p}`);
    }
    assert.deepEqual(await committedOffsets(groupId, topic), secondEnds);
    // The same key keeps its partition across both rounds of producing.
    partitionOfEachKey([...first.records, ...second.records]);
  });

  interface GroupRun { consumer: Consumer; records: KafkaRecord[] }

  /** A group member that commits by hand after each batch, up to `commitUpTo(partition, offset after batch)`. */
  async function runGroupConsumer(
    groupId: string,
    topic: string,
    commitUpTo: (partition: number, next: number) => number,
  ): Promise<GroupRun> {
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
    const records: KafkaRecord[] = [];
    const committed = new Map<number, number>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        for (const m of batch.messages) {
          records.push({ key: m.key, value: m.value!, headers: {}, partition: batch.partition, offset: m.offset });
        }
        if (batch.messages.length === 0) return;
        const upTo = commitUpTo(batch.partition, Number(batch.lastOffset()) + 1);
        if (upTo > (committed.get(batch.partition) ?? 0)) {
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(upTo) }]);
          committed.set(batch.partition, upTo);
        }
      },
    });
    return { consumer, records };
  }

  async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map(entry!.partitions.map((p) => [p.partition, Number(p.offset)]));
    } finally {
      await admin.disconnect();
    }
  }
});
