import { combineTraces, type CombinedTrace } from '../block/combine-trace.ts';
import { traceKey } from '../ingester/trace-key.ts';
import type { SearchSource } from '../querier/search-source.ts';
import type { TimeRange } from '../querier/trace-source.ts';

/** A trace as a search sees it: every part the sources hold, merged (duplicate spans dropped). */
export type GatheredTrace = CombinedTrace & { readonly id: string };

export interface Gathered {
  /** Traces with spans in the range (a merged trace may reach outside its parts'). */
  readonly traces: GatheredTrace[];
  /** Distinct trace IDs the sources handed over. */
  readonly candidates: number;
  /** Bytes of every part read. */
  readonly inspectedBytes: number;
}

/**
 * Asks the sources one after the other (unflushed traces before blocks: a trace flushed in between is then
 * seen twice, and merged, never missed) and merges each trace's parts, so a trace split between live data
 * and blocks is looked at whole.
 */
export async function gatherTraces(
  sources: readonly SearchSource[], tenant: string, range: TimeRange | undefined, signal?: AbortSignal,
): Promise<Gathered> {
  const parts = new Map<string, { id: Uint8Array; parts: Uint8Array[] }>();
  let inspectedBytes = 0;
  for (const source of sources) {
    await source.searchCandidates(tenant, range, (traceId, trace) => {
      const key = traceKey(traceId);
      let p = parts.get(key);
      if (p === undefined) parts.set(key, (p = { id: traceId, parts: [] }));
      p.parts.push(trace);
      inspectedBytes += trace.byteLength;
    }, signal);
  }
  const traces: GatheredTrace[] = [];
  for (const p of parts.values()) {
    signal?.throwIfAborted();
    const merged = combineTraces(p.parts);
    if (merged.spanCount > 0 && hasSpansIn(merged, range)) traces.push({ id: Buffer.from(p.id).toString('hex'), ...merged });
  }
  return { traces, candidates: parts.size, inspectedBytes };
}

/** Whether a combined trace has spans in the range (unix seconds, end inclusive). */
export function hasSpansIn(t: { startUnixNano: number; endUnixNano: number }, range: TimeRange | undefined): boolean {
  return range === undefined || (t.startUnixNano < (range.end + 1) * 1e9 && t.endUnixNano >= range.start * 1e9);
}
