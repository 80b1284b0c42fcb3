import type { Logger } from 'pino';
import { QueryTimeoutError } from '../search/query-timeout-error.ts';
import { planSearchJobs, type BlockRef, type SearchJob } from '../search/search-job.ts';
import type { SearchBlockPlanner } from '../search/search-job-runner.ts';
import type { SearchSettings } from '../search/search-limits.ts';
import { LiveIntervals } from './live-intervals.ts';
import { MetricsAccumulator } from './metrics-accumulator.ts';
import type { MetricsJobResult, MetricsJobRunner, MetricsWork } from './metrics-job.ts';
import { mergePartial } from './metrics-partial.ts';
import type { MetricsRequest } from './metrics-request.ts';
import { queryRangeResponse, type MetricsStats, type QueryRangeResponseJson } from './metrics-response.ts';
import { runLanes } from './run-lanes.ts';
import { applySecondStage } from './second-stage.ts';
import { outputSeries } from './series-output.ts';
import { secondsRange } from './time-grid.ts';

/** What the metrics routes need: a metrics query answered (TraceMetrics). */
export interface MetricsService {
  queryRange(tenant: string, request: MetricsRequest, signal?: AbortSignal): Promise<QueryRangeResponseJson>;
}

export interface TraceMetricsOptions<B extends BlockRef> {
  /** This process's block list, or a querier's (query-frontend); as search plans. */
  readonly planner: SearchBlockPlanner<B>;
  /** In this thread, on worker threads, or on queriers. */
  readonly runner: MetricsJobRunner<B>;
  /** Jobs in flight, bytes per block job, and the timeout (504), as for search. */
  readonly settings: Pick<SearchSettings, 'concurrentJobs' | 'targetBytesPerJob' | 'queryTimeoutMs'>;
  readonly logger: Logger;
}

/**
 * A metrics query in jobs, planned as a search (search-job.ts): the live job first, then block jobs
 * `concurrentJobs` at a time, then jobs over blocks listed since (flushed while the query ran). Each job
 * gives a partial state, merged here as it comes. A span counted from live data may reappear in a block
 * flushed in between: the live job's span keys are kept (bounded by the live data), block jobs hold back
 * their spans in the intervals the live job counted in, and a held span is added unless its key is live.
 * Spans of different blocks are distinct (compaction removes replay duplicates), so nothing else is kept.
 */
export class TraceMetrics<B extends BlockRef = BlockRef> implements MetricsService {
  readonly #o: TraceMetricsOptions<B>;

  constructor(options: TraceMetricsOptions<B>) {
    this.#o = options;
  }

  async queryRange(tenant: string, request: MetricsRequest, signal?: AbortSignal): Promise<QueryRangeResponseJson> {
    const { planner, settings } = this.#o;
    const timeout = AbortSignal.timeout(settings.queryTimeoutMs);
    const querySignal = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    const range = secondsRange(request.grid);
    const merge = new JobMerge(request);
    try {
      const [planned, live] = await Promise.all([
        planner.blocks(tenant, range, querySignal),
        planner.live ? this.#o.runner.runMetrics(tenant, { kind: 'live', endSeconds: Infinity }, { request, live: LiveIntervals.NONE }, querySignal) : undefined,
      ]);
      if (live !== undefined) merge.addLive(live);
      const work: MetricsWork = { request, live: merge.liveIntervals };
      await this.#runJobs(tenant, this.#plan(planned), work, merge, querySignal);
      const known = new Set(planned.map((b) => b.blockID));
      // A compacted block listed since is made of blocks counted already (Tempo's compactor waits for blocks to age).
      const fresh = (await planner.blocks(tenant, range, querySignal)).filter((b) => !known.has(b.blockID) && !((b.compactionLevel ?? 0) > 0));
      await this.#runJobs(tenant, this.#plan(fresh), work, merge, querySignal);
    } catch (err) {
      signal?.throwIfAborted();
      if (timeout.aborted) throw new QueryTimeoutError({ cause: err });
      throw err;
    }
    const response = merge.response();
    this.#o.logger.debug({ tenant, query: request.text, ...response.metrics }, 'metrics query done');
    return response;
  }

  #plan(blocks: readonly B[]): SearchJob<B>[] {
    return planSearchJobs(blocks, { live: false, targetBytesPerJob: this.#o.settings.targetBytesPerJob });
  }

  #runJobs(tenant: string, jobs: readonly SearchJob<B>[], work: MetricsWork, merge: JobMerge, signal: AbortSignal): Promise<void> {
    return runLanes(jobs, this.#o.settings.concurrentJobs, async (job, s) => merge.add(await this.#o.runner.runMetrics(tenant, job, work, s)), signal);
  }
}

/** The merged state of a query's jobs. */
class JobMerge {
  readonly #request: MetricsRequest;
  readonly #acc: MetricsAccumulator;
  readonly #stats: MetricsStats = { inspectedTraces: 0, inspectedBytes: 0, inspectedSpans: 0, totalBlocks: 0, totalJobs: 0 };
  #liveKeys = new Set<string>();
  liveIntervals = LiveIntervals.NONE;

  constructor(request: MetricsRequest) {
    this.#request = request;
    this.#acc = new MetricsAccumulator(request.query.metrics, request.grid);
  }

  addLive(result: MetricsJobResult): void {
    this.#liveKeys = new Set(result.liveKeys);
    this.liveIntervals = LiveIntervals.parse(result.liveIntervals) ?? LiveIntervals.NONE;
    this.add(result);
  }

  add(result: MetricsJobResult): void {
    mergePartial(this.#acc, result.series);
    for (const h of result.held) if (!this.#liveKeys.has(h.key)) this.#acc.add(h);
    this.#stats.inspectedTraces += result.inspectedTraces;
    this.#stats.inspectedSpans += result.inspectedSpans;
    this.#stats.inspectedBytes += result.inspectedBytes;
    this.#stats.totalBlocks += result.blocks;
    this.#stats.totalJobs++;
  }

  response(): QueryRangeResponseJson {
    this.#acc.trimExemplars(this.#request.exemplars);
    return queryRangeResponse(applySecondStage(outputSeries(this.#acc), this.#request.query.second), this.#request.grid, this.#stats);
  }
}
