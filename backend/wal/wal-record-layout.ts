import type { TraceBatch } from '../../pipeline/trace-batch.ts';

/** Where a record and its spans landed in the WAL. */
export interface WalRecordLayout {
  readonly segment: number;
  /** File offset and length of the whole record. */
  readonly offset: number;
  readonly length: number;
  /** File offset of each span's bytes, spans taken in batch order (resource, scope, span); lengths are the spans'. */
  readonly spanOffsets: Uint32Array;
}

/** A record as replay hands it back. */
export interface WalRecord {
  readonly tenant: string;
  /** Views into the segment buffer: copy what must outlive the callback. */
  readonly batch: TraceBatch;
  readonly layout: WalRecordLayout;
}

/** An append: its layout is known at once, its bytes are safe once `written` resolves. */
export interface PendingAppend {
  readonly layout: WalRecordLayout;
  readonly written: Promise<void>;
}
