import type { Logger } from 'pino';
import { combineTraces, type CombinedTrace } from '../block/combine-trace.ts';
import { traceKey } from '../ingester/trace-key.ts';
import type { SearchSource } from '../querier/search-source.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { traceModel } from '../traceql/trace-model.ts';
import type { SearchRequest } from './search-request.ts';
import type { SearchResponseJson, SearchService } from './search-service.ts';
import { traceResult, type TraceResultJson } from './trace-result.ts';

export interface TraceSearchOptions {
  /**
   * Asked one after the other, unflushed traces (this process's ingester) before blocks: a trace flushed in
   * between is then seen twice (merged), never missed.
   */
  readonly sources: readonly SearchSource[];
  readonly logger: Logger;
}

interface Candidate {
  readonly id: string;
  readonly parts: Uint8Array[];
}

/**
 * Search with the reference engine: every candidate trace from every source, its parts merged (a trace
 * split between live data and blocks is evaluated whole), newest first, evaluated one trace at a time
 * until `limit` traces matched.
 */
export class TraceSearch implements SearchService {
  readonly #sources: readonly SearchSource[];
  readonly #logger: Logger;

  constructor(options: TraceSearchOptions) {
    this.#sources = options.sources;
    this.#logger = options.logger;
  }

  async search(tenant: string, request: SearchRequest, signal?: AbortSignal): Promise<SearchResponseJson> {
    const candidates = new Map<string, Candidate>();
    let inspectedBytes = 0;
    for (const source of this.#sources) {
      await source.searchCandidates(tenant, request.range, (traceId, trace) => {
        const key = traceKey(traceId);
        let c = candidates.get(key);
        if (c === undefined) candidates.set(key, (c = { id: Buffer.from(traceId).toString('hex'), parts: [] }));
        c.parts.push(trace);
        inspectedBytes += trace.byteLength;
      }, signal);
    }
    const merged = newestFirst([...candidates.values()].map((c) => ({ id: c.id, ...combineTraces(c.parts) })), request.range);
    const traces: TraceResultJson[] = [];
    let inspectedTraces = 0;
    for (const trace of merged) {
      if (traces.length >= request.limit) break;
      signal?.throwIfAborted();
      inspectedTraces++;
      const [match] = evaluate(request.query, [traceModel(trace.trace)]);
      if (match !== undefined) traces.push(traceResult(match, request.spss));
    }
    this.#logger.debug({ tenant, query: request.text, candidates: candidates.size, inspectedTraces, found: traces.length }, 'search done');
    return {
      ...(traces.length > 0 ? { traces } : {}),
      metrics: {
        ...(inspectedTraces > 0 ? { inspectedTraces } : {}),
        ...(inspectedBytes > 0 ? { inspectedBytes: String(inspectedBytes) } : {}),
        completedJobs: 1,
        totalJobs: 1,
      },
    };
  }
}

type Merged = CombinedTrace & { readonly id: string };

/** Traces with spans in `range` (a merged trace may reach outside its parts'), by start time, newest first. */
function newestFirst(traces: Merged[], range: TimeRange | undefined): Merged[] {
  const inRange = range === undefined ? traces.filter((t) => t.spanCount > 0)
    : traces.filter((t) => t.spanCount > 0 && t.startUnixNano < (range.end + 1) * 1e9 && t.endUnixNano >= range.start * 1e9);
  return inRange.sort((a, b) => b.startUnixNano - a.startUnixNano || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
