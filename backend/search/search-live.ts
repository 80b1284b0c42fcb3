import type { SearchSource } from '../querier/search-source.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { livePart } from './live-part.ts';
import { NewestTraces } from './newest-traces.ts';
import type { SearchJobResult } from './search-job-runner.ts';
import type { SearchRequest } from './search-request.ts';
import { traceResult } from './trace-result.ts';

/**
 * The live job: the unflushed traces of the sources (this process's ingester, or the listed ingesters'),
 * each part evaluated as it is handed over (duplicate spans in it dropped), as Tempo's ingesters do: parts
 * of one trace from several sources are combined with the other jobs' results, by trace ID. Nothing is
 * held but the results, so searching a busy ingester costs no more memory than its answer; the newest
 * `limit` matches are kept, and unless the search wants the most recent, the sources stop being read at
 * the first `limit`.
 */
export async function searchLive(
  sources: readonly SearchSource[], tenant: string, request: SearchRequest, signal?: AbortSignal,
): Promise<SearchJobResult> {
  const found = new NewestTraces(request.limit);
  const enough = new AbortController();
  const reading = signal === undefined ? enough.signal : AbortSignal.any([signal, enough.signal]);
  let inspectedTraces = 0;
  let inspectedBytes = 0;
  const visit = (_traceId: Uint8Array, part: Uint8Array): void => {
    if (enough.signal.aborted) return;
    inspectedTraces++;
    inspectedBytes += part.byteLength;
    const { trace } = livePart(part, request.range);
    if (trace === undefined || !found.wouldKeep(trace.startUnixNano)) return;
    const [match] = evaluate(request.query, [trace]);
    if (match === undefined) return;
    found.add(traceResult(match, request.spss));
    if (found.enoughFor(request)) enough.abort();
  };
  try {
    for (const source of sources) {
      if (enough.signal.aborted) break;
      await source.searchCandidates(tenant, request.range, visit, reading);
    }
  } catch (err) {
    if (!enough.signal.aborted || signal?.aborted === true) throw err;
  }
  return { traces: found.list(), inspectedTraces, inspectedBytes };
}
