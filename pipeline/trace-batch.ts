/**
 * Spans as they travel through a pipeline: OTLP protobuf kept as bytes, with the few fields every stage
 * needs already read. Span bytes are views into the buffer they arrived in, so a batch costs one walk over
 * the payload and no copies; `encodeTraceBatch` writes it back as an ExportTraceServiceRequest / TracesData.
 */

/** One `Span` message. */
export interface SpanRecord {
  /** The encoded `Span` message (without its own tag and length). */
  readonly bytes: Uint8Array;
  /** 16 bytes. */
  readonly traceId: Uint8Array;
  /** 8 bytes. */
  readonly spanId: Uint8Array;
  /** start_time_unix_nano as a double: exact to ~256 ns, enough for time ranges. */
  readonly startUnixNano: number;
  readonly endUnixNano: number;
}

/** One `ScopeSpans` message: its other fields kept encoded, its spans read. */
export interface ScopeSpansRecord {
  /** Encoded fields other than `spans` (scope = 1, schema_url = 3), tags included. */
  readonly fields: Uint8Array;
  readonly spans: SpanRecord[];
}

/** One `ResourceSpans` message: its other fields kept encoded, its scope spans read. */
export interface ResourceSpansRecord {
  /** Encoded fields other than `scope_spans` (resource = 1, schema_url = 3), tags included. */
  readonly fields: Uint8Array;
  readonly scopeSpans: ScopeSpansRecord[];
}

export interface TraceBatch {
  readonly resourceSpans: ResourceSpansRecord[];
  readonly spanCount: number;
}

export function countSpans(resourceSpans: readonly ResourceSpansRecord[]): number {
  let n = 0;
  for (const rs of resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

export function makeBatch(resourceSpans: ResourceSpansRecord[]): TraceBatch {
  return { resourceSpans, spanCount: countSpans(resourceSpans) };
}
