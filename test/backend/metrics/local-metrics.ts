import pino from 'pino';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import type { BlockList } from '../../../backend/db/block-list.ts';
import { metricsBlocks } from '../../../backend/metrics/metrics-blocks.ts';
import { localMetricsRunner } from '../../../backend/metrics/metrics-live.ts';
import type { MetricsBlockRunner } from '../../../backend/metrics/metrics-job.ts';
import { TraceMetrics } from '../../../backend/metrics/trace-metrics.ts';
import type { SearchSource } from '../../../backend/querier/search-source.ts';
import type { SearchBlockPlanner } from '../../../backend/search/search-job-runner.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';

export interface LocalMetricsOptions {
  readonly live?: readonly SearchSource[];
  readonly blocks?: { readonly list: BlockList; readonly store: ObjectStore };
  /** Block jobs run here (metricsBlocks) unless given. */
  readonly runner?: MetricsBlockRunner;
  /** 1 byte: a job per block. */
  readonly targetBytesPerJob?: number;
  readonly concurrentJobs?: number;
}

/** TraceMetrics over live sources and a block list in this process, as a querier wires it. */
export function localMetrics(o: LocalMetricsOptions): TraceMetrics<BlockMeta> {
  const live = o.live ?? [];
  const planner: SearchBlockPlanner<BlockMeta> = { live: live.length > 0, blocks: async (tenant, range) => o.blocks?.list.inRange(tenant, range) ?? [] };
  const inThread: MetricsBlockRunner = async (blocks, work, signal) => metricsBlocks(o.blocks!.store, blocks, work, signal);
  return new TraceMetrics({
    planner, runner: localMetricsRunner(live, o.runner ?? inThread), logger: pino({ level: 'silent' }),
    settings: { concurrentJobs: o.concurrentJobs ?? 2, targetBytesPerJob: o.targetBytesPerJob ?? 1, queryTimeoutMs: 30_000 },
  });
}
