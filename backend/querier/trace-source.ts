/** Anything that can contribute parts of a trace: live data in an ingester, a block, a list of blocks. */
export interface TraceSource {
  /** Encoded Trace messages (repeated ResourceSpans, field 1) holding spans of `traceId`; empty when none. */
  findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]>;
}

/** Unix seconds, inclusive. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}
