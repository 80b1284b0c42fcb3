import type { Logger } from 'pino';
import type { SearchSource } from '../querier/search-source.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { gatherTraces, type GatheredTrace } from './gather-traces.ts';
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
    const { traces: gathered, candidates, inspectedBytes } = await gatherTraces(this.#sources, tenant, request.range, signal);
    const merged = gathered.sort(newestFirst);
    const traces: TraceResultJson[] = [];
    let inspectedTraces = 0;
    for (const trace of merged) {
      if (traces.length >= request.limit) break;
      signal?.throwIfAborted();
      inspectedTraces++;
      const [match] = evaluate(request.query, [traceModel(trace.trace)]);
      if (match !== undefined) traces.push(traceResult(match, request.spss));
    }
    this.#logger.debug({ tenant, query: request.text, candidates, inspectedTraces, found: traces.length }, 'search done');
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

/** By start time, newest first; ties by ID. */
function newestFirst(a: GatheredTrace, b: GatheredTrace): number {
  return b.startUnixNano - a.startUnixNano || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
