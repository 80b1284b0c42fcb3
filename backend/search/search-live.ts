import type { SearchSource } from '../querier/search-source.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { gatherTraces } from './gather-traces.ts';
import { NewestTraces } from './newest-traces.ts';
import type { SearchJobResult } from './search-job-runner.ts';
import type { SearchRequest } from './search-request.ts';
import { traceResult } from './trace-result.ts';

/**
 * The live job: the unflushed traces of the sources (this process's ingester, or the listed ingesters'),
 * each trace's parts merged (gather-traces.ts), evaluated, the newest `limit` matches kept (the first
 * `limit` unless the search wants the most recent).
 */
export async function searchLive(
  sources: readonly SearchSource[], tenant: string, request: SearchRequest, signal?: AbortSignal,
): Promise<SearchJobResult> {
  const { traces, inspectedBytes } = await gatherTraces(sources, tenant, request.range, signal);
  const found = new NewestTraces(request.limit);
  for (const trace of traces) {
    if (found.enoughFor(request)) break;
    signal?.throwIfAborted();
    const [match] = evaluate(request.query, [traceModel(trace.trace)]);
    if (match !== undefined) found.add(traceResult(match, request.spss));
  }
  return { traces: found.list(), inspectedTraces: traces.length, inspectedBytes };
}
