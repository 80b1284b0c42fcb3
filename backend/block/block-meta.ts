/** meta.json of a block: written last, so a block without it does not exist. Field names follow Tempo's. */
export interface BlockMeta {
  /** Encoding of the block; a new format is a new value beside the old ones. */
  format: string;
  blockID: string;
  tenantID: string;
  /** RFC 3339, earliest span start / latest span end in the block. */
  startTime: string;
  endTime: string;
  /** Number of traces. */
  totalObjects: number;
  totalSpans: number;
  /** Bytes of the data object. */
  size: number;
  /** Page compression of the data object. */
  dataEncoding: string;
  bloomShards: number;
  /** Lowest and highest trace ID in the block, 32 hex characters. */
  minID: string;
  maxID: string;
  compactionLevel: number;
}

/** One trace as stored in a block. */
export interface TraceEntry {
  /** 16 bytes. */
  readonly traceId: Uint8Array;
  /** An encoded Trace / TracesData message (repeated ResourceSpans, field 1). */
  readonly trace: Uint8Array;
  readonly startUnixNano: number;
  readonly endUnixNano: number;
  readonly spanCount: number;
}
