import type { BlockMeta } from '../block/block-meta.ts';
import type { SearchSource } from '../querier/search-source.ts';
import { gatherTraces } from '../search/gather-traces.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { JobCounter } from './job-counter.ts';
import { LiveIntervals } from './live-intervals.ts';
import type { MetricsBlockRunner, MetricsJobResult, MetricsJobRunner } from './metrics-job.ts';
import type { MetricsRequest } from './metrics-request.ts';
import { secondsRange } from './time-grid.ts';

/**
 * The live job of a metrics query: the unflushed traces of the sources, each trace's parts merged
 * (gather-traces.ts, duplicate spans dropped) and evaluated whole; the keys of the spans it counts go back
 * with its state, for the merge to skip them in blocks flushed since.
 */
export async function metricsLive(
  sources: readonly SearchSource[], tenant: string, request: MetricsRequest, signal?: AbortSignal,
): Promise<MetricsJobResult> {
  const counter = new JobCounter({ request, live: LiveIntervals.NONE }, true);
  const live = await gatherTraces(sources, tenant, secondsRange(request.grid), signal);
  counter.stats.inspectedBytes = live.inspectedBytes;
  for (const t of live.traces) {
    signal?.throwIfAborted();
    const [match] = evaluate(request.query.filter, [traceModel(t.trace)]);
    counter.stats.inspectedTraces++;
    counter.stats.inspectedSpans += t.spanCount;
    if (match !== undefined) counter.observe(match);
  }
  return counter.result();
}

/** A querier's metrics jobs, as LocalJobRunner runs search's: the live one in this thread, block jobs by `blocks`. */
export function localMetricsRunner(live: readonly SearchSource[], blocks: MetricsBlockRunner): MetricsJobRunner<BlockMeta> {
  return { runMetrics: (tenant, job, work, signal) => (job.kind === 'live' ? metricsLive(live, tenant, work.request, signal) : blocks(job.blocks, work, signal)) };
}
