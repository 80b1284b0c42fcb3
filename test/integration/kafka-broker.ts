import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { type Admin, type IHeaders, type Kafka, type KafkaConfig } from 'kafkajs';
import { registerCompressionCodecs } from '../../pipeline/kafka/compression-codecs.ts';

/**
 * The real Kafka broker for integration tests (started by `npm run services:up`): its address, a loud check
 * that it is there, throwaway topics, and a plain reader that sees exactly what is on a topic.
 */

const { Kafka: KafkaClient, logLevel } = kafkajs; // CommonJS: no named exports under Node's ESM

registerCompressionCodecs(); // tests read what Tracelake writes, zstd included

/** One record as a plain Kafka consumer sees it. */
export interface KafkaRecord {
  readonly key: Buffer | null;
  readonly value: Buffer;
  /** Every value of each header, in order (Kafka allows a key more than once). */
  readonly headers: Readonly<Record<string, Buffer[]>>;
  readonly partition: number;
  /** The record's offset in its partition, as kafkajs gives it (int64 as a decimal string). */
  readonly offset: string;
}

export interface ReadAllOptions {
  /** Wait until at least this many records are on the topic (those produced asynchronously included). */
  readonly expected?: number;
  readonly timeoutMs?: number;
}

/** Brokers from TRACELAKE_TEST_KAFKA_BROKERS (comma-separated), else the one `npm run services:up` starts. */
export function kafkaBrokers(): string[] {
  const list = process.env.TRACELAKE_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092';
  return list.split(',').map((b) => b.trim()).filter((b) => b !== '');
}

/** A kafkajs client for test code; kafkajs logs only errors (its warnings are rebalancing chatter). */
export function testKafka(clientId = 'tracelake-test', config: Partial<KafkaConfig> = {}): Kafka {
  return new KafkaClient({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.ERROR, ...config });
}

let reachable: Promise<void> | undefined;

/** Throws, with what to do about it, unless the broker answers a metadata request. Checked once per run. */
export function assertBrokerReachable(): Promise<void> {
  reachable ??= probe();
  return reachable;
}

async function probe(): Promise<void> {
  const brokers = kafkaBrokers();
  const kafka = testKafka('tracelake-test-probe', {
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 1 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    throw new Error(`Kafka is not reachable at ${brokers.join(',')}: run \`npm run services:up\``, { cause: err });
  } finally {
    await admin.disconnect();
  }
}

/** A name no other test (nor an earlier run) uses. */
export function uniqueTopicName(prefix = 'test'): string {
  return `tracelake-${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka('tracelake-test-admin').admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates a uniquely named topic with `partitions` partitions (one replica) and returns its name. */
export async function createTopic(partitions: number, prefix?: string): Promise<string> {
  const topic = uniqueTopicName(prefix);
  await withAdmin(async (admin) => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists`);
  });
  return topic;
}

export async function deleteTopic(topic: string): Promise<void> {
  await withAdmin((admin) => admin.deleteTopics({ topics: [topic] }));
}

/** The end offset (offset of the next record) of each partition of `topic`. */
export async function endOffsets(topic: string): Promise<Map<number, number>> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/**
 * Every record on `topic` from the beginning, sorted by partition and offset, read by a plain consumer that
 * commits nothing (a throwaway group). Returns once `expected` records (if given) are in and every partition
 * is read to its end offset; throws after `timeoutMs` with how far it got. Assumes a topic without
 * transactions (control records would leave gaps before the end offset).
 */
export async function readAll(topic: string, options: ReadAllOptions = {}): Promise<KafkaRecord[]> {
  const { expected = 0, timeoutMs = 30_000 } = options;
  const consumer = testKafka('tracelake-test-reader').consumer({
    groupId: uniqueTopicName('reader'),
    maxWaitTimeInMs: 250,
  });
  const records: KafkaRecord[] = [];
  const next = new Map<number, number>(); // partition → offset after the last record read
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          records.push({
            key: m.key,
            value: m.value ?? Buffer.alloc(0),
            headers: headerLists(m.headers),
            partition: batch.partition,
            offset: m.offset,
          });
          next.set(batch.partition, Number(m.offset) + 1);
        }
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (!(records.length >= expected && caughtUp(await endOffsets(topic), next))) {
      if (Date.now() > deadline) {
        throw new Error(`read ${records.length} records from ${topic} in ${timeoutMs} ms, expected ${expected}`);
      }
      await sleep(100);
    }
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

function caughtUp(ends: Map<number, number>, next: Map<number, number>): boolean {
  for (const [partition, end] of ends) if ((next.get(partition) ?? 0) < end) return false;
  return true;
}

function headerLists(headers: IHeaders | undefined): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[key] = (Array.isArray(value) ? value : [value]).map((v) => Buffer.from(v));
  }
  return out;
}
