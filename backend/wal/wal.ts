import { mkdir, rm } from 'node:fs/promises';
import { encodeTraceBatch } from '../../pipeline/otlp/encode-trace-batch.ts';
import { TracelakeError } from '../../pipeline/errors.ts';
import { countSpans, type ResourceSpansRecord } from '../../pipeline/trace-batch.ts';
import { replaySegment } from './replay-segment.ts';
import { listSegments, segmentPath } from './segment-file.ts';
import { SegmentReader } from './segment-reader.ts';
import { SegmentWriter } from './segment-writer.ts';
import type { PendingAppend, WalRecord } from './wal-record-layout.ts';
import { encodeRecordPrefix } from './wal-record.ts';

export interface WalOptions {
  readonly dir: string;
  /** A segment is closed once it would grow past this; default 64 MiB. */
  readonly segmentBytes?: number;
}

export interface ReplaySummary {
  readonly segments: number;
  readonly records: number;
  readonly spans: number;
  readonly bytes: number;
  /** Segments cut at a torn or corrupt record. */
  readonly truncated: readonly { readonly segment: number; readonly offset: number }[];
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
// Span offsets are kept as u32.
const MAX_SEGMENT_BYTES = 2 ** 31;

/**
 * Write-ahead log: a folder of numbered segment files, appended to in order and never rewritten. Which
 * segments are still needed is the owner's business: it deletes them through `deleteSegment`.
 */
export class Wal {
  readonly dir: string;
  readonly #segmentBytes: number;
  readonly #writer: SegmentWriter;
  /** Segments on disk that are no longer appended to. */
  readonly #closedSegments = new Set<number>();
  #current = 0;
  #nextOffset = 0;
  #state: 'new' | 'open' | 'closed' = 'new';

  constructor(options: WalOptions) {
    this.dir = options.dir;
    this.#segmentBytes = Math.min(options.segmentBytes ?? DEFAULT_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
    this.#writer = new SegmentWriter({
      dir: options.dir,
      onSegmentFailed: (segment) => {
        if (segment === this.#current) this.rotate();
      },
    });
  }

  /** Creates the folder if needed and finds the segments a previous run left; appends go to a new one. */
  async open(): Promise<void> {
    if (this.#state !== 'new') throw new TracelakeError('WAL opened twice');
    await mkdir(this.dir, { recursive: true });
    const existing = await listSegments(this.dir);
    for (const segment of existing) this.#closedSegments.add(segment);
    this.#current = (existing.at(-1) ?? 0) + 1;
    this.#state = 'open';
  }

  /** Every record the previous run left, oldest first; torn or corrupt tails are truncated. */
  async replay(onRecord: (record: WalRecord) => void): Promise<ReplaySummary> {
    const truncated: { segment: number; offset: number }[] = [];
    let records = 0;
    let spans = 0;
    let bytes = 0;
    const segments = this.segments();
    for (const segment of segments) {
      const result = await replaySegment(this.dir, segment, onRecord);
      records += result.records;
      spans += result.spans;
      bytes += result.bytes;
      if (result.truncatedAt !== undefined) truncated.push({ segment, offset: result.truncatedAt });
    }
    return { segments: segments.length, records, spans, bytes, truncated };
  }

  /**
   * Encodes the batch as TracesData into one record of the current segment. Records appended in the same
   * event-loop turn (or while a write runs) share one writev; `written` resolves once the write completed.
   */
  append(tenant: string, resourceSpans: readonly ResourceSpansRecord[]): PendingAppend {
    if (this.#state !== 'open') throw new TracelakeError('WAL is not open');
    const spanOffsets = new Uint32Array(countSpans(resourceSpans));
    let spans = 0;
    const payload = encodeTraceBatch(resourceSpans, (_span, offset) => {
      spanOffsets[spans++] = offset;
    });
    if (spans !== spanOffsets.length) throw new TracelakeError('encodeTraceBatch reported fewer spans than the batch has');
    const prefix = encodeRecordPrefix(tenant, payload);
    const length = prefix.length + payload.length;
    if (this.#nextOffset > 0 && this.#nextOffset + length > this.#segmentBytes) this.rotate();
    const segment = this.#current;
    const offset = this.#nextOffset;
    this.#nextOffset += length;
    const payloadOffset = offset + prefix.length;
    for (let i = 0; i < spanOffsets.length; i++) spanOffsets[i] += payloadOffset;
    const written = this.#writer.write(segment, offset, [prefix, payload], length);
    return { layout: { segment, offset, length, spanOffsets }, written };
  }

  /** Starts a new segment for later appends (no-op when the current one is empty). */
  rotate(): void {
    if (this.#nextOffset === 0) return;
    this.#closedSegments.add(this.#current);
    this.#current++;
    this.#nextOffset = 0;
  }

  /** The segment appends go to. */
  get currentSegment(): number {
    return this.#current;
  }

  /** Segments on disk that are no longer appended to, ascending. */
  segments(): number[] {
    return [...this.#closedSegments].sort((a, b) => a - b);
  }

  /** For positional reads; the caller closes it. */
  openSegment(segment: number): Promise<SegmentReader> {
    return SegmentReader.open(this.dir, segment);
  }

  /** Removes a segment that is no longer appended to; one already removed is ignored. */
  async deleteSegment(segment: number): Promise<void> {
    if (segment === this.#current && this.#state === 'open') {
      throw new TracelakeError(`WAL segment ${segment} is still appended to`);
    }
    if (!this.#closedSegments.delete(segment)) return;
    try {
      await rm(segmentPath(this.dir, segment), { force: true });
    } catch (err) {
      this.#closedSegments.add(segment);
      throw err;
    }
  }

  /** Waits for queued writes and closes the current segment; it stays on disk, listed in `segments()`. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    await this.#writer.close();
    if (wasOpen && this.#nextOffset > 0) this.#closedSegments.add(this.#current);
  }
}
