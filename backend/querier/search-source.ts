import type { TimeRange } from './trace-source.ts';

/** Called once per part of a candidate trace: 16-byte ID and an encoded Trace (TracesData bytes). */
export type VisitPart = (traceId: Uint8Array, trace: Uint8Array) => void;

/**
 * Anything holding traces a search must look at: an ingester's unflushed traces, a tenant's blocks. A source
 * hands over every trace of `tenant` that may have spans in `range` (all without one); a trace may come in
 * several parts, from one source or many: the search merges them before evaluating.
 */
export interface SearchSource {
  searchCandidates(tenant: string, range: TimeRange | undefined, visit: VisitPart, signal?: AbortSignal): Promise<void>;
}
