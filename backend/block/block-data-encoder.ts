import type { TraceEntry } from './block-meta.ts';

/** Builds one format's data and index objects, a trace at a time (trace ID order, checked by the caller). */
export interface BlockDataEncoder {
  add(entry: TraceEntry): Promise<void>;
  /** Compressed bytes cut so far plus the uncompressed bytes waiting to be cut. */
  readonly pendingBytes: number;
  finish(): Promise<{ data: Uint8Array; index: Uint8Array }>;
  /** Releases the compressor; idempotent. */
  close(): void;
}
