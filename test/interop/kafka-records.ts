import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { zstdDecompress } from 'node:zlib';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { decodeMessage } from '../integration/trace-proto.ts';
import { fromProtobufTrace } from '../integration/trace-model.ts';

/**
 * A plain kafkajs client, independent of Tracelake's kafka components: creates and deletes topics, and reads
 * every record of a topic with its partition, key, headers and the trace and span IDs its value holds,
 * counting the record batches each compression codec decompressed.
 */

const { Kafka: KafkaClient, CompressionCodecs, CompressionTypes, logLevel } = kafkajs;

export const BROKERS = (process.env.TRACELAKE_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());

export type Encoding = 'otlp_proto' | 'otlp_json';

export interface RawRecord {
  readonly partition: number;
  /** null when the record has no key. */
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** trace ID (hex) → span IDs (hex) found in the value. */
  readonly traces: ReadonlyMap<string, readonly string[]>;
  readonly valueBytes: number;
}

interface KafkaCodec { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }
const codecs = CompressionCodecs as Record<number, () => KafkaCodec>;
const decompressed = { gzip: 0, zstd: 0 };

/** Wraps kafkajs's gzip codec and adds a zstd one (node:zlib), both counting the batches they decompress. */
function installCountingCodecs(): void {
  const gzip = codecs[CompressionTypes.GZIP]!();
  const zstd = promisify(zstdDecompress);
  codecs[CompressionTypes.GZIP] = () => ({
    compress: gzip.compress,
    decompress: (b) => { decompressed.gzip++; return gzip.decompress(b); },
  });
  codecs[CompressionTypes.ZSTD] = () => ({
    compress: () => Promise.reject(new Error('the interop reader does not produce')),
    decompress: (b) => { decompressed.zstd++; return zstd(b); },
  });
}
installCountingCodecs();

export function createClient(clientId: string): Kafka {
  return new KafkaClient({ brokers: BROKERS, clientId, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

/** A topic name nobody else uses. */
export function uniqueTopic(label: string): string {
  return `interop-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function createTopic(admin: Admin, topic: string, numPartitions: number): Promise<void> {
  const created = await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  if (!created) throw new Error(`topic ${topic} already exists`);
}

/** Records in the topic now: the sum over partitions of high watermark − low watermark (no transactions here). */
export async function countRecords(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
}

export interface TopicContents {
  readonly records: RawRecord[];
  /** Record batches decompressed per codec while reading (the reader runs alone, so all are this topic's). */
  readonly decompressed: { readonly gzip: number; readonly zstd: number };
}

/**
 * Reads all records the topic holds, with a fresh consumer group from the earliest offset. With `minRecords`,
 * first waits until the topic holds that many and no more arrive for a moment (a relay still writing).
 */
export async function readAllRecords(kafka: Kafka, topic: string, encoding: Encoding, minRecords = 0): Promise<TopicContents> {
  const timeoutMs = 20_000;
  const admin = kafka.admin();
  await admin.connect();
  const expected = await settledCount(admin, topic, minRecords, timeoutMs).finally(() => admin.disconnect());
  const consumer = kafka.consumer({ groupId: `interop-reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 200 });
  const records: RawRecord[] = [];
  const before = { ...decompressed };
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => { done = resolve; });
    if (expected === 0) done();
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          records.push({
            partition: batch.partition,
            key: m.key === null ? null : m.key.toString('utf8'),
            headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
            traces: tracesIn(m.value ?? Buffer.alloc(0), encoding),
            valueBytes: m.value?.length ?? 0,
          });
        }
        if (records.length >= expected) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const outcome = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') throw new Error(`read ${records.length} of ${expected} records of ${topic} in ${timeoutMs} ms`);
  } finally {
    await consumer.disconnect();
  }
  return {
    records: records.sort((a, b) => a.partition - b.partition),
    decompressed: { gzip: decompressed.gzip - before.gzip, zstd: decompressed.zstd - before.zstd },
  };
}

async function settledCount(admin: Admin, topic: string, minRecords: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = await countRecords(admin, topic);
  if (minRecords === 0) return count;
  for (;;) {
    await sleep(500);
    const now = await countRecords(admin, topic);
    if (now >= minRecords && now === count) return now;
    if (Date.now() > deadline) throw new Error(`${topic} holds ${now} records after ${timeoutMs} ms, expected at least ${minRecords}`);
    count = now;
  }
}

/** trace ID → span IDs in a record value, decoded without Tracelake's codec (protobufjs, or JSON.parse). */
export function tracesIn(value: Buffer, encoding: Encoding): Map<string, string[]> {
  const spans = encoding === 'otlp_proto'
    ? fromProtobufTrace(decodeMessage('TracesData', value)).map((s) => ({ traceId: s.traceId, spanId: s.spanId }))
    : jsonSpans(value);
  const out = new Map<string, string[]>();
  for (const s of spans) out.set(s.traceId, [...(out.get(s.traceId) ?? []), s.spanId].sort());
  return out;
}

type Obj = Record<string, unknown>;

function jsonSpans(value: Buffer): Array<{ traceId: string; spanId: string }> {
  const root = JSON.parse(value.toString('utf8')) as Obj;
  const out: Array<{ traceId: string; spanId: string }> = [];
  for (const rs of (root.resourceSpans as Obj[] | undefined) ?? []) {
    for (const ss of (rs.scopeSpans as Obj[] | undefined) ?? []) {
      for (const s of (ss.spans as Obj[] | undefined) ?? []) out.push({ traceId: String(s.traceId), spanId: String(s.spanId) });
    }
  }
  return out;
}
