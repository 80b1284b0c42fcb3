import { encodeTraceBatch } from '../../pipeline/otlp/encode-trace-batch.ts';
import type { ResourceSpansRecord, ScopeSpansRecord, SpanRecord } from '../../pipeline/trace-batch.ts';

/** One span held in memory with the resource and scope it arrived with (views into its Kafka record). */
export interface HeldSpan {
  readonly resource: ResourceSpansRecord;
  readonly scope: ScopeSpansRecord;
  readonly span: SpanRecord;
}

/** The spans of one trace a partition's records brought since its last flush. */
export interface HeldTrace {
  readonly id: Uint8Array;
  readonly spans: HeldSpan[];
  startUnixNano: number;
  endUnixNano: number;
}

/**
 * The held spans as one Trace (TracesData) message: one ResourceSpans per distinct resource, one ScopeSpans
 * per distinct scope in it, compared by their encoded bytes (each Kafka record brings its own copies).
 */
export function encodeHeldTrace(trace: HeldTrace): Uint8Array {
  const resources = new Map<string, { fields: Uint8Array; scopes: Map<string, ScopeSpansRecord> }>();
  const keys = new Map<Uint8Array, string>();
  const keyOf = (fields: Uint8Array): string => {
    let key = keys.get(fields);
    if (key === undefined) keys.set(fields, (key = Buffer.from(fields.buffer, fields.byteOffset, fields.byteLength).toString('latin1')));
    return key;
  };
  for (const { resource, scope, span } of trace.spans) {
    const rKey = keyOf(resource.fields);
    let r = resources.get(rKey);
    if (r === undefined) resources.set(rKey, (r = { fields: resource.fields, scopes: new Map() }));
    const sKey = keyOf(scope.fields);
    let s = r.scopes.get(sKey);
    if (s === undefined) r.scopes.set(sKey, (s = { fields: scope.fields, spans: [] }));
    s.spans.push(span);
  }
  const records: ResourceSpansRecord[] = [];
  for (const r of resources.values()) records.push({ fields: r.fields, scopeSpans: [...r.scopes.values()] });
  return encodeTraceBatch(records);
}
