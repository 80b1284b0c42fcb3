import { makeBatch, type ResourceSpansRecord, type SpanRecord, type TraceBatch } from '../../../pipeline/trace-batch.ts';

let nextSpan = 0;

/** Spans whose bytes hold a running number, so tests can follow each span through batching. */
export function fakeSpan(): SpanRecord {
  const n = nextSpan++;
  const id = new Uint8Array(8);
  new DataView(id.buffer).setUint32(4, n);
  return { bytes: Uint8Array.of(n & 0xff), traceId: new Uint8Array(16).fill(1), spanId: id, startUnixNano: 0, endUnixNano: 1 };
}

/** A batch with one resource per entry of `shape`, each entry listing its scopes' span counts. */
export function fakeBatch(...shape: number[][]): TraceBatch {
  const resourceSpans: ResourceSpansRecord[] = shape.map((scopes, r) => ({
    fields: Uint8Array.of(r),
    scopeSpans: scopes.map((count, s) => ({ fields: Uint8Array.of(r, s), spans: Array.from({ length: count }, fakeSpan) })),
  }));
  return makeBatch(resourceSpans);
}

export function spanIdsOf(resourceSpans: readonly ResourceSpansRecord[]): number[] {
  const ids: number[] = [];
  for (const rs of resourceSpans) {
    for (const ss of rs.scopeSpans) for (const span of ss.spans) ids.push(new DataView(span.spanId.buffer).getUint32(4));
  }
  return ids;
}
