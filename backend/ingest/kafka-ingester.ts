import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import { abortableDelay } from '../../pipeline/abortable-delay.ts';
import { PermanentError, TracelakeError } from '../../pipeline/errors.ts';
import { unmarshalTraces } from '../../pipeline/kafka/encoding.ts';
import { subscribeTopics } from '../../pipeline/kafka/subscribe-topics.ts';
import { tenantOf } from '../../pipeline/kafka/tenant-header.ts';
import { resolveTenant } from '../../pipeline/tenant-id.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { BlockReader } from '../block/block-reader.ts';
import { derivedBlockId } from '../block/derived-block-id.ts';
import { Inflight } from '../ingester/inflight.ts';
import type { SearchSource, VisitPart } from '../querier/search-source.ts';
import type { TimeRange, TraceSource } from '../querier/trace-source.ts';
import { parseFlushIntent, type FlushIntent } from './flush-intent.ts';
import { kafkaIngestMetrics, type KafkaIngestMetrics } from './kafka-ingest-metrics.ts';
import type { KafkaIngestOptions } from './kafka-ingest-options.ts';
import type { PartitionData } from './partition-data.ts';
import { PartitionIngest, type CommittedPosition, type PartitionIngestContext } from './partition-ingest.ts';
import { RecentBlocks } from './recent-blocks.ts';

/** How long stopping waits for the last flushes before leaving them to the partitions' next owners. */
const STOP_FLUSH_PATIENCE_MS = 30_000;

/**
 * An ingester fed by Kafka (Tempo's ingest storage): it consumes the trace-ID-keyed topic in the ingesters'
 * consumer group, holds the records of the partitions it owns in memory (queryable at once), and writes
 * them to blocks by offset range, committing a range's offsets only once its blocks are complete. Kafka is
 * its write-ahead log: a crash loses nothing, the records since the last commit are consumed again.
 */
export class KafkaIngester implements TraceSource, SearchSource {
  readonly #o: KafkaIngestOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #metrics: KafkaIngestMetrics;
  readonly #partitions = new Map<number, PartitionIngest>();
  readonly #recent: RecentBlocks;
  readonly #inflight = new Inflight();
  readonly #abort = new AbortController();
  #consumer: Consumer | undefined;
  #admin: Admin | undefined;
  /** Settles once the latest assignment is applied; batches of new partitions wait for it. */
  #assigning: Promise<void> = Promise.resolve();
  #flushLane: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: KafkaIngestOptions) {
    this.#o = options;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#metrics = kafkaIngestMetrics(options.metrics);
    this.#recent = new RecentBlocks(new BlockReader(options.store), options.completeBlockTimeoutMs, this.#now);
  }

  async start(): Promise<void> {
    const o = this.#o;
    this.#admin = o.kafka.admin();
    const consumer = o.kafka.consumer({
      groupId: o.groupId, sessionTimeout: o.sessionTimeoutMs, heartbeatInterval: o.heartbeatIntervalMs,
      maxWaitTimeInMs: o.maxWaitMs,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.#assign(e.payload.memberAssignment[o.topic] ?? []));
    consumer.on(consumer.events.CRASH, (e) => this.#log.error({ err: e.payload.error, restart: e.payload.restart }, 'kafka consumer crashed'));
    try {
      await this.#admin.connect();
      await consumer.connect();
      await subscribeTopics(consumer, { topics: [o.topic], fromBeginning: o.fromBeginning, signal: this.#abort.signal, logger: this.#log });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.#consume(p) });
    } catch (cause) {
      await this.#disconnect();
      throw new TracelakeError(`cannot consume topic ${o.topic} as group ${o.groupId}: ${(cause as Error).message}`, { cause });
    }
    this.#timer = setInterval(() => this.#cutDue(), Math.max(10, Math.min(250, o.maxBlockDurationMs / 4)));
    this.#timer.unref();
    this.#log.info({ topic: o.topic, group: o.groupId }, 'ingester consuming kafka');
  }

  /** Data reaches this ingester through Kafka only. */
  push(_tenant: string, _batch: TraceBatch): Promise<void> {
    return Promise.reject(new PermanentError('this ingester consumes Kafka (ingest.enabled): send spans to the topic, through a distributor'));
  }

  async findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    if (traceId.length !== 16) return [];
    const parts = [...this.#partitions.values()].flatMap((p) => p.partsOf(tenant, traceId, range));
    return [...parts, ...(await this.#recent.find(tenant, traceId, range))];
  }

  /** The held records' traces of `tenant` that may overlap `range` (not the recent blocks: the block search reads those). */
  async searchCandidates(tenant: string, range: TimeRange | undefined, visit: VisitPart): Promise<void> {
    for (const p of this.#partitions.values()) p.searchParts(tenant, range, visit);
  }

  /** Holding over half of its memory budget: flushes are behind. */
  get busy(): boolean {
    return this.#heldBytes() > this.#o.maxUnflushedBytes / 2;
  }

  /** Cuts every partition now; resolves once everything held is in blocks and committed. */
  async flushAll(): Promise<void> {
    const partitions = [...this.#partitions.values()];
    for (const p of partitions) p.cut();
    await Promise.all(partitions.map((p) => p.flushed()));
  }

  /** Stops fetching, flushes what it holds (for up to 30 s), then leaves the group. Idempotent. */
  shutdown(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    clearInterval(this.#timer);
    const consumer = this.#consumer;
    if (consumer !== undefined) {
      consumer.pause([{ topic: this.#o.topic }]);
      this.#abort.abort();
      await this.#inflight.idle();
      await this.#assigning;
      const flushed = await Promise.race([
        this.flushAll().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(resolve, STOP_FLUSH_PATIENCE_MS, false).unref()),
      ]);
      if (!flushed) this.#log.warn('stopping before every range was flushed: the next owners of the partitions consume them again');
    }
    for (const p of this.#partitions.values()) p.revoke();
    this.#partitions.clear();
    await this.#disconnect();
    this.#log.info('ingester stopped');
  }

  async #disconnect(): Promise<void> {
    await Promise.allSettled([this.#consumer?.disconnect(), this.#admin?.disconnect()]);
  }

  async #consume(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (this.#abort.signal.aborted) return;
    this.#inflight.enter();
    try {
      await this.#assigning;
      const partition = this.#partitions.get(batch.partition);
      if (partition === undefined) return; // revoked meanwhile
      const nowMs = this.#now();
      let records = 0;
      let spans = 0;
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale()) break;
        const record = this.#decode(batch.partition, message);
        partition.add(Number(message.offset), record, message.value?.length ?? 0, nowMs);
        payload.resolveOffset(message.offset);
        records++;
        spans += record?.batch.spanCount ?? 0;
      }
      this.#metrics.records.inc(records);
      this.#metrics.spans.inc(spans);
      const last = batch.messages[batch.messages.length - 1];
      if (last !== undefined) this.#metrics.lag.set({ partition: batch.partition }, Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1));
      await this.#waitForBudget(payload);
    } finally {
      this.#inflight.leave();
    }
  }

  #decode(partition: number, message: EachBatchPayload['batch']['messages'][number]): { tenant: string; batch: TraceBatch } | undefined {
    const resolved = resolveTenant(tenantOf(message.headers), this.#o.multitenancy);
    if (!resolved.ok) {
      this.#skipped(partition, message.offset, 'tenant', resolved.message);
      return undefined;
    }
    try {
      const decoded = unmarshalTraces(message.value, this.#o.encoding);
      if (decoded.rejectedSpans > 0) this.#skipped(partition, message.offset, 'invalid_spans', decoded.rejectReason ?? '', decoded.rejectedSpans);
      return { tenant: resolved.tenant, batch: decoded.batch };
    } catch (err) {
      this.#skipped(partition, message.offset, 'malformed', (err as Error).message);
      return undefined;
    }
  }

  #skipped(partition: number, offset: string, reason: 'tenant' | 'malformed' | 'invalid_spans', detail: string, spans?: number): void {
    this.#metrics.skipped.inc({ reason });
    this.#log.warn({ partition, offset, reason, detail, spans }, reason === 'invalid_spans' ? 'spans left out of a record' : 'record skipped: it cannot be stored');
  }

  /** Over the memory budget, consumption waits (heartbeating) while the largest ranges are flushed. */
  async #waitForBudget(payload: EachBatchPayload): Promise<void> {
    while (this.#heldBytes() > this.#o.maxUnflushedBytes && !this.#abort.signal.aborted && payload.isRunning() && !payload.isStale()) {
      const partitions = [...this.#partitions.values()];
      for (const p of partitions) p.cut();
      await Promise.race([Promise.all(partitions.map((p) => p.flushed())), new Promise((r) => setTimeout(r, 1000).unref())]);
      await payload.heartbeat().catch(() => undefined);
    }
  }

  #heldBytes(): number {
    let n = 0;
    for (const p of this.#partitions.values()) n += p.heldBytes;
    return n;
  }

  #cutDue(): void {
    const now = this.#now();
    let traces = 0;
    for (const p of this.#partitions.values()) {
      if (p.isDue(now, this.#o.maxBlockDurationMs, this.#o.maxBlockBytes)) p.cut();
      traces += p.heldTraces;
    }
    this.#metrics.liveTraces.set(traces);
    this.#metrics.heldBytes.set(this.#heldBytes());
  }

  /** Applies a new assignment: drops revoked partitions, reads where new ones resume. */
  #assign(assigned: readonly number[]): void {
    this.#assigning = this.#assigning.then(async () => {
      const keep = new Set(assigned);
      for (const [id, p] of this.#partitions) {
        if (keep.has(id)) continue;
        p.revoke();
        this.#partitions.delete(id);
      }
      const fresh = assigned.filter((id) => !this.#partitions.has(id));
      if (fresh.length > 0) {
        const positions = await this.#committedPositions(fresh);
        for (const id of fresh) this.#partitions.set(id, new PartitionIngest(id, positions.get(id)!, this.#partitionContext()));
      }
      this.#log.info({ partitions: [...this.#partitions.keys()].sort((a, b) => a - b), fresh }, 'partitions assigned');
    }).catch((err: unknown) => {
      this.#log.error({ err }, 'could not apply the partition assignment');
    });
  }

  /** Retried until it succeeds or the ingester stops: without it, the partitions cannot resume safely. */
  async #committedPositions(partitions: readonly number[]): Promise<Map<number, CommittedPosition>> {
    let fetched: Awaited<ReturnType<Admin['fetchOffsets']>> | undefined;
    for (let attempt = 0; fetched === undefined; attempt++) {
      try {
        fetched = await this.#admin!.fetchOffsets({ groupId: this.#o.groupId, topics: [this.#o.topic] });
      } catch (err) {
        if (this.#abort.signal.aborted) throw err;
        this.#log.warn({ err, attempt }, 'could not read the committed offsets; retrying');
        await abortableDelay(Math.min(5000, 200 * 2 ** attempt), this.#abort.signal);
      }
    }
    const [topic] = fetched;
    const positions = new Map<number, CommittedPosition>();
    for (const id of partitions) {
      const found = topic?.partitions.find((p) => p.partition === id);
      const offset = found === undefined || Number(found.offset) < 0 ? undefined : Number(found.offset);
      const intent = offset === undefined ? undefined : parseFlushIntent(found?.metadata, offset);
      if (intent !== undefined) this.#log.info({ partition: id, intent }, 'resuming a flush left unfinished: the range is cut as before');
      positions.set(id, { offset, intent });
    }
    return positions;
  }

  #partitionContext(): PartitionIngestContext {
    return {
      commit: (partition, offset, metadata) => this.#consumer!.commitOffsets([{ topic: this.#o.topic, partition, offset: String(offset), metadata }]),
      writeBlocks: (partition, range, data) => this.#writeBlocks(partition, range, data),
      onFlushFailure: () => this.#metrics.flushFailures.inc(),
      logger: this.#log,
    };
  }

  /** One range at a time over all partitions: flushes due together do not stall consumption together. */
  #writeBlocks(partition: number, range: FlushIntent, data: PartitionData): Promise<void> {
    const written = this.#flushLane.then(() => this.#writeRange(partition, range, data));
    this.#flushLane = written.catch(() => undefined);
    return written;
  }

  async #writeRange(partition: number, range: FlushIntent, data: PartitionData): Promise<void> {
    const o = this.#o;
    const began = performance.now();
    for (const [tenant, entries] of await data.blockEntries()) {
      const blockID = derivedBlockId(['kafka', tenant, o.topic, partition, range.start, range.end]);
      const meta = await o.writeBlock({ tenantID: tenant, blockID, entries, bloomFalsePositive: o.bloomFalsePositive });
      await o.onBlockFlushed(meta);
      this.#recent.add(meta);
      this.#metrics.blocksFlushed.inc({ tenant });
      this.#metrics.bytesWritten.inc(meta.size);
      this.#log.info({
        tenant, blockID, partition, offsets: `${range.start}-${range.end}`, traces: entries.length, spans: meta.totalSpans,
        recordBytes: data.bytes, bytes: meta.size, durationMs: Math.round(performance.now() - began),
      }, 'block flushed');
    }
  }
}
