import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { SearchSource, VisitPart } from '../querier/search-source.ts';
import type { TimeRange, TraceSource } from '../querier/trace-source.ts';
import type { WalRecordLayout } from '../wal/wal-record-layout.ts';
import { Wal } from '../wal/wal.ts';
import { blockFlusher, traceEntries } from './block-flusher.ts';
import { FieldsInterner } from './fields-interner.ts';
import { FlushQueue, type CutBlock } from './flush-queue.ts';
import { indexBatch, releaseTrace } from './index-batch.ts';
import { Inflight } from './inflight.ts';
import { ingesterMetrics, type IngesterMetrics } from './ingester-metrics.ts';
import { checkIngesterOptions, DEFAULT_MAX_TRACES, defaultMaxUnflushedBytes, type IngesterOptions } from './ingester-options.ts';
import { combinePieces, type LiveTrace } from './live-trace.ts';
import { SegmentRefs } from './segment-refs.ts';
import { TenantTraces, type CutRules } from './tenant-traces.ts';
import { traceKey } from './trace-key.ts';

/** Unflushed traces a search reads from the WAL at once: bounds what one search holds in flight. */
const SEARCH_READ_TRACES = 1000;

/**
 * The embedded ingester: every batch is appended to the WAL before `push` resolves, and its spans are
 * queryable from then on. Traces are held as references into the WAL; complete ones are cut into blocks.
 */
export class Ingester implements TraceSource, SearchSource {
  readonly #rules: CutRules;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #metrics: IngesterMetrics;
  readonly #wal: Wal;
  readonly #interner = new FieldsInterner();
  readonly #segmentRefs = new SegmentRefs();
  readonly #tenants = new Map<string, TenantTraces>();
  readonly #flushQueue: FlushQueue;
  readonly #inflight = new Inflight();
  readonly #maxUnflushedBytes: number;
  readonly #maxTraces: number;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #timer: NodeJS.Timeout | undefined;
  #stopped: Promise<void> | undefined;
  #unflushedBytes = 0;
  #traces = 0;
  #refusing = false;

  constructor(options: IngesterOptions) {
    checkIngesterOptions(options);
    this.#rules = options;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#metrics = ingesterMetrics(options.metrics);
    this.#maxUnflushedBytes = options.maxUnflushedBytes ?? defaultMaxUnflushedBytes(options.maxBlockBytes);
    this.#maxTraces = options.maxTraces ?? DEFAULT_MAX_TRACES;
    this.#wal = new Wal({ dir: options.walDir, segmentBytes: options.walSegmentBytes });
    this.#flushQueue = new FlushQueue({
      flush: blockFlusher({ wal: this.#wal, ingester: options, metrics: this.#metrics, logger: this.#logger }),
      release: (block) => this.#release(block),
      logger: this.#logger,
      onFailure: () => this.#metrics.flushFailures.inc(),
    });
  }

  /** Replays the WAL (replayed traces start live), then sweeps on a timer. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new TracelakeError('ingester started twice');
    this.#state = 'starting';
    await this.#wal.open();
    const began = performance.now();
    const nowMs = this.#now();
    const summary = await this.#wal.replay((r) => this.#index(r.tenant, r.batch, r.layout, nowMs));
    for (const { segment, offset } of summary.truncated) {
      this.#logger.warn({ segment, offset }, 'wal segment truncated at a torn or corrupt record');
    }
    const { segments, records, spans, bytes } = summary;
    this.#logger.info({ segments, records, spans, bytes, traces: this.#traces, durationMs: Math.round(performance.now() - began) }, 'wal replayed');
    await this.#deleteUnusedSegments();
    this.#state = 'running';
    const interval = Math.max(1, Math.min(1000, this.#rules.traceIdlePeriodMs / 2));
    this.#timer = setInterval(() => this.#sweep(false), interval);
    this.#timer.unref();
  }

  /** Resolves once the batch is in the WAL (page cache) and its spans are findable. */
  async push(tenant: string, batch: TraceBatch): Promise<void> {
    if (this.#state !== 'running') throw new RetryableError('ingester is not running');
    if (batch.spanCount === 0) return;
    this.#checkBudget();
    this.#inflight.enter();
    try {
      const { layout, written } = this.#wal.append(tenant, batch.resourceSpans);
      // Pinned until indexed, so no cleanup deletes the segment in between.
      this.#segmentRefs.add(layout.segment);
      try {
        await written.catch((err: unknown) => {
          throw new RetryableError('write-ahead log append failed', { cause: err });
        });
        this.#metrics.walBytesWritten.inc(layout.length);
        this.#index(tenant, batch, layout, this.#now());
      } finally {
        this.#segmentRefs.remove(layout.segment);
      }
    } finally {
      this.#inflight.leave();
    }
  }

  /** The live, head and flushing parts of a trace, read from the WAL, as one Trace. */
  async findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    if (traceId.length !== 16 || (this.#state !== 'running' && this.#state !== 'stopping')) return [];
    const pieces = this.#piecesOf(tenant, traceKey(traceId), range);
    if (pieces.length === 0) return [];
    const trace = combinePieces(pieces);
    const segments = new Set(trace.groups.map((g) => g.segment));
    for (const segment of segments) this.#segmentRefs.add(segment);
    try {
      const [entry] = await traceEntries(this.#wal, [trace]);
      return [entry.trace];
    } finally {
      for (const segment of segments) this.#segmentRefs.remove(segment);
    }
  }

  /**
   * Every live, head and flushing trace of `tenant` that may overlap `range`, one part each (its pieces
   * together), read from the WAL a slice of traces at a time. Their segments stay pinned until done.
   */
  async searchCandidates(tenant: string, range: TimeRange | undefined, visit: VisitPart, signal?: AbortSignal): Promise<void> {
    if (this.#state !== 'running' && this.#state !== 'stopping') return;
    const traces = this.#tenants.get(tenant);
    const keys = new Set<string>([...(traces?.live.keys() ?? []), ...(traces?.head.traces.keys() ?? [])]);
    for (const block of this.#flushQueue.blocks) if (block.tenant === tenant) for (const key of block.set.traces.keys()) keys.add(key);
    const wanted: LiveTrace[] = [];
    for (const key of keys) {
      const pieces = this.#piecesOf(tenant, key, range);
      if (pieces.length > 0) wanted.push(combinePieces(pieces));
    }
    const segments = new Set(wanted.flatMap((t) => t.groups.map((g) => g.segment)));
    for (const segment of segments) this.#segmentRefs.add(segment);
    try {
      for (let i = 0; i < wanted.length; i += SEARCH_READ_TRACES) {
        signal?.throwIfAborted();
        for (const entry of await traceEntries(this.#wal, wanted.slice(i, i + SEARCH_READ_TRACES))) visit(entry.traceId, entry.trace);
      }
    } finally {
      for (const segment of segments) this.#segmentRefs.remove(segment);
    }
  }

  /** Flushing a block, or holding over half of its unflushed-data budget. */
  get busy(): boolean {
    return this.#flushQueue.blocks.length > 0 || this.#unflushedBytes > this.#maxUnflushedBytes / 2;
  }

  /** One sweep now (the timer runs it too); resolves when the blocks it cut, and earlier ones, are flushed. */
  sweep(): Promise<void> {
    if (this.#state === 'running') this.#sweep(false);
    return this.#flushQueue.idle();
  }

  /** Idempotent: waits for pushes in flight, flushes everything to blocks and empties the WAL. */
  shutdown(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    if (this.#state === 'new') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    clearInterval(this.#timer);
    await this.#inflight.idle();
    this.#sweep(true);
    this.#flushQueue.stop();
    await this.#flushQueue.idle();
    const left = this.#flushQueue.blocks.length;
    if (left === 0) {
      this.#wal.rotate();
      await this.#deleteUnusedSegments();
    }
    await this.#wal.close();
    this.#state = 'stopped';
    if (left > 0) {
      throw new RetryableError(`${left} blocks could not be flushed; the WAL keeps their spans for the next start`, {
        cause: this.#flushQueue.lastError,
      });
    }
    this.#logger.info({ walSegments: this.#wal.segments().length }, 'ingester stopped');
  }

  #index(tenant: string, batch: TraceBatch, layout: WalRecordLayout, nowMs: number): void {
    let traces = this.#tenants.get(tenant);
    if (!traces) this.#tenants.set(tenant, (traces = new TenantTraces(tenant, nowMs)));
    const ctx = { interner: this.#interner, segmentRefs: this.#segmentRefs, nowMs };
    const { newTraces, bytes } = indexBatch(traces.live, batch, layout, ctx);
    this.#traces += newTraces;
    this.#unflushedBytes += bytes;
  }

  #checkBudget(): void {
    const over = this.#unflushedBytes >= this.#maxUnflushedBytes || this.#traces >= this.#maxTraces;
    if (over !== this.#refusing) {
      this.#refusing = over;
      const state = { unflushedBytes: this.#unflushedBytes, traces: this.#traces, queuedBlocks: this.#flushQueue.blocks.length };
      if (over) this.#logger.warn(state, 'refusing pushes: unflushed data over its limit');
      else this.#logger.info(state, 'accepting pushes again');
    }
    if (over) throw new RetryableError('ingester holds too much unflushed data', { retryAfterSeconds: 1 });
  }

  #sweep(force: boolean): void {
    const nowMs = this.#now();
    for (const traces of this.#tenants.values()) {
      const { cut, merged } = traces.sweep(nowMs, this.#rules, force);
      this.#traces -= merged;
      for (const set of cut) this.#flushQueue.enqueue({ tenant: traces.tenant, blockID: randomUUID(), set });
      // Later appends go to a fresh segment, so this one can go once these blocks and its live traces are out.
      if (cut.length > 0) this.#wal.rotate();
      if (traces.isEmpty) this.#tenants.delete(traces.tenant);
    }
    this.#metrics.liveTraces.set(this.#traces);
  }

  #piecesOf(tenant: string, key: string, range: TimeRange | undefined): LiveTrace[] {
    const pieces: LiveTrace[] = [];
    const traces = this.#tenants.get(tenant);
    const live = traces?.live.get(key);
    const head = traces?.head.traces.get(key);
    if (live) pieces.push(live);
    if (head) pieces.push(head);
    for (const block of this.#flushQueue.blocks) {
      const piece = block.tenant === tenant ? block.set.traces.get(key) : undefined;
      if (piece) pieces.push(piece);
    }
    return range ? pieces.filter((p) => overlaps(p, range)) : pieces;
  }

  async #release(block: CutBlock): Promise<void> {
    for (const trace of block.set.traces.values()) releaseTrace(trace, this.#interner, this.#segmentRefs);
    this.#traces -= block.set.traces.size;
    this.#unflushedBytes -= block.set.bytes;
    this.#metrics.liveTraces.set(this.#traces);
    await this.#deleteUnusedSegments();
  }

  /** Segments no live, head or flushing trace (nor a push or query in flight) refers to. */
  async #deleteUnusedSegments(): Promise<void> {
    for (const segment of this.#wal.segments()) {
      if (this.#segmentRefs.isUsed(segment)) continue;
      try {
        await this.#wal.deleteSegment(segment);
      } catch (err) {
        this.#logger.warn({ err, segment }, 'could not delete wal segment');
      }
    }
  }
}

/** Whether a trace part's spans may fall in `range` (Unix seconds, inclusive). */
function overlaps(trace: LiveTrace, range: TimeRange): boolean {
  return trace.startUnixNano < (range.end + 1) * 1e9 && trace.endUnixNano >= range.start * 1e9;
}
