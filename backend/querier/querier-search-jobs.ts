import type { Logger } from 'pino';
import { RetryableError } from '../../pipeline/errors.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { readBlockMeta } from '../block/read-block-meta.ts';
import type { BlockList } from '../db/block-list.ts';
import type { MetricsJobResult, MetricsJobRunner, MetricsJobService, MetricsWork } from '../metrics/metrics-job.ts';
import type { BlockRef, SearchJob } from '../search/search-job.ts';
import type { SearchBlockPlanner, SearchJobResult, SearchJobRunner } from '../search/search-job-runner.ts';
import type { SearchJobService, SearchJobSpec } from '../search/search-job-service.ts';
import type { SearchRequest } from '../search/search-request.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface QuerierSearchJobsOptions {
  /** Whether this querier has live traces to search (its ingester's, or listed ingesters'). */
  readonly live: boolean;
  /** Absent when this process reads no blocks (an ingester-only process): its plans hold no blocks. */
  readonly blocks?: { readonly list: BlockList; readonly store: ObjectStore };
  readonly runner: SearchJobRunner<BlockMeta>;
  /** Runs metrics jobs; absent: this querier runs none. */
  readonly metrics?: MetricsJobRunner<BlockMeta>;
  readonly logger: Logger;
}

/**
 * A querier's part in search and metrics queries: it plans over its own block list (embedded search, or the blocks it tells a
 * query-frontend about) and runs jobs. A block a frontend names that this querier's list does not hold yet
 * is read from its meta.json; one gone from storage (compacted and deleted since) is skipped.
 */
export class QuerierSearchJobs implements SearchBlockPlanner<BlockMeta>, SearchJobService, MetricsJobService {
  readonly #o: QuerierSearchJobsOptions;
  readonly live: boolean;

  constructor(options: QuerierSearchJobsOptions) {
    this.#o = options;
    this.live = options.live;
  }

  async blocks(tenant: string, range: SearchRequest['range']): Promise<readonly BlockMeta[]> {
    return this.#o.blocks?.list.inRange(tenant, range) ?? [];
  }

  async searchBlockRefs(tenant: string, range: SearchRequest['range']): Promise<BlockRef[]> {
    return (await this.blocks(tenant, range)).map(({ blockID, endTime, size, compactionLevel }) => ({ blockID, endTime, size, compactionLevel }));
  }

  async runSearchJob(tenant: string, spec: SearchJobSpec, request: SearchRequest, signal: AbortSignal): Promise<SearchJobResult> {
    return this.#o.runner.run(tenant, await this.#job(tenant, spec), request, signal);
  }

  async runMetricsJob(tenant: string, spec: SearchJobSpec, work: MetricsWork, signal: AbortSignal): Promise<MetricsJobResult> {
    if (this.#o.metrics === undefined) throw new RetryableError('this querier runs no metrics jobs');
    return this.#o.metrics.runMetrics(tenant, await this.#job(tenant, spec), work, signal);
  }

  async #job(tenant: string, spec: SearchJobSpec): Promise<SearchJob<BlockMeta>> {
    if (spec.kind === 'live') return { kind: 'live', endSeconds: Infinity };
    const blocks = await this.#metas(tenant, spec.blockIDs);
    return { kind: 'blocks', blocks, bytes: blocks.reduce((n, b) => n + b.size, 0), endSeconds: Infinity };
  }

  async #metas(tenant: string, blockIDs: readonly string[]): Promise<BlockMeta[]> {
    if (this.#o.blocks === undefined) throw new RetryableError('this process reads no blocks (it runs no querier over the storage)');
    const { list, store } = this.#o.blocks;
    const known = new Map<string, BlockMeta>();
    for (const m of [...list.forTenant(tenant), ...list.compactedForTenant(tenant)]) known.set(m.blockID, m);
    const metas: BlockMeta[] = [];
    for (const id of blockIDs) {
      const meta = known.get(id) ?? await readBlockMeta(store, tenant, id);
      if (meta !== undefined) metas.push(meta);
      else this.#o.logger.debug({ tenant, blockID: id }, 'search job block not found; skipped');
    }
    return metas;
  }
}
