import type { BlockMeta } from '../block/block-meta.ts';
import type { SearchSource } from '../querier/search-source.ts';
import { livePart } from '../search/live-part.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { JobCounter } from './job-counter.ts';
import { LiveIntervals } from './live-intervals.ts';
import type { MetricsBlockRunner, MetricsJobResult, MetricsJobRunner } from './metrics-job.ts';
import type { MetricsRequest } from './metrics-request.ts';
import { secondsRange } from './time-grid.ts';

/**
 * The live job of a metrics query: the unflushed traces of the sources, each part evaluated as it is handed
 * over (duplicate spans dropped; a span in two parts counted once), so nothing but the counts is held; the
 * keys of the spans it counts go back with its state, for the merge to skip them in blocks flushed since.
 */
export async function metricsLive(
  sources: readonly SearchSource[], tenant: string, request: MetricsRequest, signal?: AbortSignal,
): Promise<MetricsJobResult> {
  const counter = new JobCounter({ request, live: LiveIntervals.NONE }, true);
  const range = secondsRange(request.grid);
  const visit = (_traceId: Uint8Array, part: Uint8Array): void => {
    const { spanCount, trace } = livePart(part, range);
    counter.stats.inspectedBytes += part.byteLength;
    counter.stats.inspectedTraces++;
    counter.stats.inspectedSpans += spanCount;
    if (trace === undefined) return;
    const [match] = evaluate(request.query.filter, [trace]);
    if (match !== undefined) counter.observe(match);
  };
  for (const source of sources) await source.searchCandidates(tenant, range, visit, signal);
  return counter.result();
}

/** A querier's metrics jobs, as LocalJobRunner runs search's: the live one in this thread, block jobs by `blocks`. */
export function localMetricsRunner(live: readonly SearchSource[], blocks: MetricsBlockRunner): MetricsJobRunner<BlockMeta> {
  return { runMetrics: (tenant, job, work, signal) => (job.kind === 'live' ? metricsLive(live, tenant, work.request, signal) : blocks(job.blocks, work, signal)) };
}
