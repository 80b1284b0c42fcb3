import type { Logger } from 'pino';
import type { BlockMeta } from '../../backend/block/block-meta.ts';
import type { BlockList } from '../../backend/db/block-list.ts';
import { QuerierPool } from '../../backend/frontend/querier-pool.ts';
import { RemoteSearchJobs } from '../../backend/frontend/remote-search-jobs.ts';
import { metricsBlocks } from '../../backend/metrics/metrics-blocks.ts';
import { localMetricsRunner } from '../../backend/metrics/metrics-live.ts';
import type { MetricsBlockRunner } from '../../backend/metrics/metrics-job.ts';
import { TraceMetrics } from '../../backend/metrics/trace-metrics.ts';
import { QuerierSearchJobs } from '../../backend/querier/querier-search-jobs.ts';
import type { SearchSource } from '../../backend/querier/search-source.ts';
import { LocalJobRunner, type BlockJobRunner } from '../../backend/search/local-job-runner.ts';
import { searchBlocks } from '../../backend/search/search-blocks.ts';
import type { BlockRef } from '../../backend/search/search-job.ts';
import { TraceSearch } from '../../backend/search/trace-search.ts';
import type { ObjectStore } from '../../backend/storage/object-store.ts';
import { SearchWorkerPool } from './search-worker-pool.ts';
import type { TracelakeSettings } from './settings.ts';
import type { Stop } from './storage-modules.ts';

interface SearchContext {
  readonly settings: TracelakeSettings;
  readonly logger: Logger;
}

/** What a querier searches: live traces (its ingester's, or the listed ingesters'), and blocks when it reads them. */
export interface QuerierSearchParts {
  readonly live: readonly SearchSource[];
  readonly blocks?: { readonly list: BlockList; readonly store: ObjectStore };
}

/** A process's search and metrics queries, and what stops them. */
export interface StartedSearch<B extends BlockRef> {
  readonly search: TraceSearch<B>;
  readonly metrics: TraceMetrics<B>;
  readonly stop: Stop;
}

/**
 * A querier's search and metrics queries: jobs planned over its own block list and run here — block jobs on
 * `querier.search.workers` threads (0: on the event loop), the live job on the event loop. `jobs` also
 * serves a query-frontend's jobs (`/querier/api/search…`, `/querier/api/metrics…`).
 */
export function startQuerierSearch(ctx: SearchContext, parts: QuerierSearchParts): StartedSearch<BlockMeta> & { jobs: QuerierSearchJobs } {
  const { settings, logger } = ctx;
  const threads = settings.querier.searchWorkers;
  const pool = parts.blocks === undefined || threads === 0 ? undefined : new SearchWorkerPool({ threads, store: settings.store, logger });
  const store = parts.blocks?.store;
  const inThread: BlockJobRunner = async (blocks, search, signal) => searchBlocks(store!, blocks, search, signal);
  const runner = new LocalJobRunner({ live: parts.live, blocks: pool?.run ?? inThread });
  const metricsInThread: MetricsBlockRunner = async (blocks, work, signal) => metricsBlocks(store!, blocks, work, signal);
  const metricsRunner = localMetricsRunner(parts.live, pool?.runMetrics ?? metricsInThread);
  const jobs = new QuerierSearchJobs({ live: parts.live.length > 0, blocks: parts.blocks, runner, metrics: metricsRunner, logger });
  // On the event loop, jobs started together only interleave: two (one reading while one computes) let the
  // newest finish first and the search stop early. The pool queues jobs itself, newest first.
  const bounded = settings.queryFrontend.search;
  const local = pool === undefined ? { ...bounded, concurrentJobs: Math.min(2, bounded.concurrentJobs) } : bounded;
  const search = new TraceSearch({ planner: jobs, runner, logger, settings: local });
  const metrics = new TraceMetrics({ planner: jobs, runner: metricsRunner, logger, settings: local });
  return { search, metrics, jobs, stop: async () => pool?.close() };
}

/** A query-frontend's search and metrics queries: blocks planned from a querier's list, every job run on the queriers. */
export function startFrontendSearch(ctx: SearchContext): StartedSearch<BlockRef> {
  const { querierAddresses, querierTimeoutMs, search: settings } = ctx.settings.queryFrontend;
  const stopping = new AbortController();
  const pool = new QuerierPool({ addresses: querierAddresses, timeoutMs: querierTimeoutMs, signal: stopping.signal, logger: ctx.logger });
  const remote = new RemoteSearchJobs({ pool, timeoutMs: querierTimeoutMs });
  const search = new TraceSearch({ planner: remote, runner: remote, settings, logger: ctx.logger });
  const metrics = new TraceMetrics({ planner: remote, runner: remote, settings, logger: ctx.logger });
  return { search, metrics, stop: async () => stopping.abort() };
}
