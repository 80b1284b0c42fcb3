import type { Logger } from 'pino';
import type { BlockList } from '../db/block-list.ts';
import type { SearchSource } from '../querier/search-source.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import { gatherTraces } from '../search/gather-traces.ts';
import { scanBlock } from '../search/scan-block.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { TraceMatch } from '../traceql/evaluate.ts';
import { evaluate } from '../traceql/evaluate.ts';
import type { Span } from '../traceql/span-model.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { ExemplarBudget } from './exemplar-budget.ts';
import { MetricsAccumulator } from './metrics-accumulator.ts';
import type { MetricsRequest } from './metrics-request.ts';
import { queryRangeResponse, type MetricsStats, type QueryRangeResponseJson } from './metrics-response.ts';
import { applySecondStage } from './second-stage.ts';
import { outputSeries } from './series-output.ts';
import { intervalOf, type TimeGrid } from './time-grid.ts';

/** What the metrics routes need: this process's metrics queries (TraceMetrics). */
export interface MetricsService {
  queryRange(tenant: string, request: MetricsRequest, signal?: AbortSignal): Promise<QueryRangeResponseJson>;
}

/** Where TraceMetrics reads spans from. */
export interface TraceMetricsOptions {
  /** Unflushed traces (this process's ingester, or the listed ingesters'), asked before the blocks. */
  readonly live: readonly SearchSource[];
  /** The tenant's blocks; absent when this process reads none. */
  readonly blocks?: { readonly list: BlockList; readonly store: ObjectStore };
  readonly logger: Logger;
}

/**
 * Metrics queries with the reference engine: the query's span filter selects spans, each counted once in
 * the interval of its start. Live traces are merged part by part and evaluated whole; blocks are scanned one
 * at a time (scanBlock), each stored trace evaluated as Tempo evaluates a block's part of a trace. A span
 * seen twice (a trace flushed while the query runs, an ingester still serving a block it wrote) counts once.
 */
export class TraceMetrics implements MetricsService {
  readonly #options: TraceMetricsOptions;

  constructor(options: TraceMetricsOptions) {
    this.#options = options;
  }

  async queryRange(tenant: string, request: MetricsRequest, signal?: AbortSignal): Promise<QueryRangeResponseJson> {
    const { grid, query } = request;
    const acc = new MetricsAccumulator(query.metrics, grid);
    const counted = new Set<string>();
    const stats: MetricsStats = { inspectedTraces: 0, inspectedBytes: 0, inspectedSpans: 0, totalBlocks: 0 };
    const budget = new ExemplarBudget(request.exemplars, grid);
    const exemplified = new Set<string>();
    const observe = (match: TraceMatch): void => {
      let exemplar: Span | undefined;
      for (const span of selectedSpans(match)) {
        if (intervalOf(grid, span.startUnixNano) < 0) continue;
        const key = `${match.trace.traceId}:${span.spanId}`;
        if (counted.has(key)) continue;
        counted.add(key);
        acc.observe(span, match.trace);
        exemplar ??= span;
      }
      // One exemplar per trace at most (Tempo picks a random span of it; the first is taken here).
      if (exemplar === undefined || exemplified.has(match.trace.traceId)) return;
      if (!budget.take(Number(exemplar.startUnixNano / 1_000_000n))) return;
      exemplified.add(match.trace.traceId);
      acc.addExemplar(exemplar, match.trace);
    };
    const range = secondsRange(grid);
    const live = await gatherTraces(this.#options.live, tenant, range, signal);
    stats.inspectedBytes += live.inspectedBytes;
    for (const t of live.traces) {
      signal?.throwIfAborted();
      const [match] = evaluate(query.filter, [traceModel(t.trace)]);
      stats.inspectedTraces++;
      stats.inspectedSpans += t.spanCount;
      if (match !== undefined) observe(match);
    }
    const blocks = this.#options.blocks;
    for (const meta of blocks?.list.inRange(tenant, range) ?? []) {
      const scanned = await scanBlock(blocks!.store, meta, { query: query.filter, range }, observe, signal);
      stats.totalBlocks++;
      stats.inspectedTraces += scanned.inspectedTraces;
      stats.inspectedSpans += scanned.inspectedSpans;
      stats.inspectedBytes += scanned.inspectedBytes;
    }
    this.#options.logger.debug({ tenant, query: request.text, series: acc.series.size, ...stats }, 'metrics query done');
    return queryRangeResponse(applySecondStage(outputSeries(acc), query.second), grid, stats);
  }
}

/** Every span of the trace's matching spansets, once. */
function selectedSpans(match: TraceMatch): Set<Span> {
  const spans = new Set<Span>();
  for (const ss of match.spanSets) for (const s of ss.spans) spans.add(s.span);
  return spans;
}

/** The grid as whole unix seconds, inclusive, covering `(start, end]`: what sources and block lists take. */
function secondsRange(grid: TimeGrid): TimeRange {
  const second = 1_000_000_000n;
  return { start: Number(grid.start / second), end: Number((grid.end + second - 1n) / second) };
}
