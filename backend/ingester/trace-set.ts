import { mergeTrace, type LiveTrace } from './live-trace.ts';

/** Traces gathered for one block: the head while it fills, then the block while it is flushed. */
export interface TraceSet {
  readonly traces: Map<string, LiveTrace>;
  bytes: number;
  spans: number;
  /** When the first trace arrived: the set's age counts from here. */
  createdAtMs: number;
}

export function newTraceSet(nowMs: number): TraceSet {
  return { traces: new Map(), bytes: 0, spans: 0, createdAtMs: nowMs };
}

/** Adds `trace`; false when the set already held part of that trace and the two were merged. */
export function addTrace(set: TraceSet, trace: LiveTrace, nowMs: number): boolean {
  if (set.traces.size === 0) set.createdAtMs = nowMs;
  set.bytes += trace.bytes;
  set.spans += trace.spanCount;
  const existing = set.traces.get(trace.key);
  if (existing) {
    mergeTrace(existing, trace);
    return false;
  }
  set.traces.set(trace.key, trace);
  return true;
}
