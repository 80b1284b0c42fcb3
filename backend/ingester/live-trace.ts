import type { Interned } from './fields-interner.ts';

/** Spans of one trace that share a resource, a scope and a WAL segment. */
export interface SpanGroup {
  readonly resource: Interned;
  readonly scope: Interned;
  readonly segment: number;
  /** (file offset, length) pairs of span bytes in the segment. */
  readonly spans: number[];
}

/** A trace held by reference: where its spans are in the WAL, not their bytes. */
export interface LiveTrace {
  readonly key: string;
  readonly groups: SpanGroup[];
  spanCount: number;
  /** Span bytes referenced. */
  bytes: number;
  startUnixNano: number;
  endUnixNano: number;
  readonly firstSeenMs: number;
  lastSeenMs: number;
}

export function newTrace(key: string, nowMs: number): LiveTrace {
  return {
    key, groups: [], spanCount: 0, bytes: 0,
    startUnixNano: Infinity, endUnixNano: -Infinity, firstSeenMs: nowMs, lastSeenMs: nowMs,
  };
}

/** Moves the groups of `from` into `into` (same trace). */
export function mergeTrace(into: LiveTrace, from: LiveTrace): void {
  for (const group of from.groups) into.groups.push(group);
  into.spanCount += from.spanCount;
  into.bytes += from.bytes;
  into.startUnixNano = Math.min(into.startUnixNano, from.startUnixNano);
  into.endUnixNano = Math.max(into.endUnixNano, from.endUnixNano);
  into.lastSeenMs = Math.max(into.lastSeenMs, from.lastSeenMs);
}

/** A new trace holding the groups of all `pieces` (e.g. live and head parts of one trace). */
export function combinePieces(pieces: readonly LiveTrace[]): LiveTrace {
  const combined = newTrace(pieces[0].key, pieces[0].firstSeenMs);
  for (const piece of pieces) mergeTrace(combined, piece);
  return combined;
}
