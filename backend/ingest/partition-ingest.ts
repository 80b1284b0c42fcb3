import type { Logger } from 'pino';
import { abortableDelay } from '../../pipeline/abortable-delay.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { VisitPart } from '../querier/search-source.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import { encodeFlushIntent, type FlushIntent } from './flush-intent.ts';
import { PartitionData } from './partition-data.ts';

export interface PartitionIngestContext {
  /** Commits `offset` (the next record to consume) for the partition, with `metadata`. */
  readonly commit: (partition: number, offset: number, metadata: string | null) => Promise<void>;
  /** Writes one block per tenant of `data` (IDs derived from the partition and range) and announces them. */
  readonly writeBlocks: (partition: number, range: FlushIntent, data: PartitionData) => Promise<void>;
  readonly onFlushFailure: () => void;
  readonly logger: Logger;
}

/** What the group's coordinator holds for the partition when it is assigned to this ingester. */
export interface CommittedPosition {
  /** Next offset to consume; undefined when the group never committed one (start from initial_offset). */
  readonly offset: number | undefined;
  /** A flush intent found there: the first range must end exactly at intent.end. */
  readonly intent: FlushIntent | undefined;
}

const EMPTY: TraceBatch = { resourceSpans: [], spanCount: 0 };
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;

/**
 * One partition assigned to this ingester: the records since the last committed offset, held in memory,
 * cut into offset ranges that are flushed strictly in order. A range is flushed as: commit its intent (at
 * its first offset), write one block per tenant (data, index, bloom, meta.json last), then commit the
 * offset after it. Until that last commit, Kafka keeps the records and a restart consumes them again.
 */
export class PartitionIngest {
  readonly partition: number;
  readonly #ctx: PartitionIngestContext;
  readonly #abort = new AbortController();
  /** First offset of the next range (the committed offset); undefined until known. */
  #rangeStart: number | undefined;
  /** The first range must end here (a flush intent found at assignment). */
  #forcedEnd: number | undefined;
  /** Records below this offset are already held or flushed: consumed again after a rebalance, skipped. */
  #next = 0;
  #current: PartitionData | undefined;
  readonly #flushing: PartitionData[] = [];
  #chain: Promise<void> = Promise.resolve();

  constructor(partition: number, committed: CommittedPosition, ctx: PartitionIngestContext) {
    this.partition = partition;
    this.#ctx = ctx;
    this.#rangeStart = committed.offset;
    this.#forcedEnd = committed.intent?.end;
    this.#next = committed.offset ?? 0;
  }

  /** Adds a record; `record` undefined for one that cannot be stored (it still belongs to the range). */
  add(offset: number, record: { tenant: string; batch: TraceBatch } | undefined, bytes: number, nowMs: number): void {
    if (offset < this.#next || this.#abort.signal.aborted) return;
    if (this.#forcedEnd !== undefined && offset > this.#forcedEnd) this.cut();
    this.#rangeStart ??= offset;
    this.#current ??= new PartitionData(nowMs);
    this.#current.add(offset, record?.tenant ?? '', record?.batch ?? EMPTY, bytes);
    this.#next = offset + 1;
    if (this.#forcedEnd !== undefined && offset >= this.#forcedEnd) this.cut();
  }

  /** Whether the current range is due: big or old enough, unless it must reach a flush intent's end first. */
  isDue(nowMs: number, maxAgeMs: number, maxBytes: number): boolean {
    const c = this.#current;
    return c !== undefined && this.#forcedEnd === undefined && (c.bytes >= maxBytes || nowMs - c.firstAddedMs >= maxAgeMs);
  }

  /** Bytes held: the current range and those being flushed. */
  get heldBytes(): number {
    return (this.#current?.bytes ?? 0) + this.#flushing.reduce((n, d) => n + d.bytes, 0);
  }

  get heldTraces(): number {
    return (this.#current?.traceCount ?? 0) + this.#flushing.reduce((n, d) => n + d.traceCount, 0);
  }

  /** Ends the current range here and queues its flush. */
  cut(): void {
    const data = this.#current;
    if (data === undefined || this.#rangeStart === undefined) return;
    this.#current = undefined;
    const range = { start: this.#rangeStart, end: data.lastOffset };
    this.#rangeStart = data.lastOffset + 1;
    this.#forcedEnd = undefined;
    this.#flushing.push(data);
    this.#chain = this.#chain.then(() => this.#flush(range, data));
  }

  /** Resolves when every range cut so far is flushed (or given up). */
  flushed(): Promise<void> {
    return this.#chain;
  }

  /** Encoded parts of a trace held for this partition. */
  partsOf(tenant: string, traceId: Uint8Array, range?: TimeRange): Uint8Array[] {
    const parts: Uint8Array[] = [];
    for (const data of [...this.#flushing, this.#current]) {
      const part = data?.tracePart(tenant, traceId, range);
      if (part !== undefined) parts.push(part);
    }
    return parts;
  }

  /** Every trace held for this partition (current and flushing ranges) that may overlap `range`, as parts. */
  searchParts(tenant: string, range: TimeRange | undefined, visit: VisitPart): void {
    for (const data of [...this.#flushing, this.#current]) data?.searchParts(tenant, range, visit);
  }

  /**
   * The partition is no longer this ingester's (rebalance) or the ingester gives up on it (stopping): flushes
   * in progress stop retrying and the data is dropped. Nothing is lost: its offsets are not committed, so
   * the partition's next owner consumes the records again (and finds any flush intent).
   */
  revoke(): void {
    this.#abort.abort();
    this.#current = undefined;
  }

  async #flush(range: FlushIntent, data: PartitionData): Promise<void> {
    const { partition } = this;
    const signal = this.#abort.signal;
    let written = data.spans === 0;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        if (!written) {
          await this.#ctx.commit(partition, range.start, encodeFlushIntent(range));
          if (signal.aborted) break;
          await this.#ctx.writeBlocks(partition, range, data);
          written = true;
        }
        await this.#ctx.commit(partition, range.end + 1, null);
        break;
      } catch (err) {
        this.#ctx.onFlushFailure();
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
        this.#ctx.logger.warn({ err, partition, range, written, retryInMs: delay }, 'partition flush failed; retrying');
        await abortableDelay(delay, signal);
      }
    }
    this.#flushing.splice(this.#flushing.indexOf(data), 1);
  }
}
