import type { BlockMeta } from '../block/block-meta.ts';
import type { SearchSource } from '../querier/search-source.ts';
import type { BlockSearch } from './search-blocks.ts';
import type { SearchJob } from './search-job.ts';
import type { SearchJobResult, SearchJobRunner } from './search-job-runner.ts';
import type { SearchRequest } from './search-request.ts';
import { searchLive } from './search-live.ts';

/** Runs a block job: in this thread (searchBlocks over a store) or on a worker thread. */
export type BlockJobRunner = (blocks: readonly BlockMeta[], search: BlockSearch & Pick<SearchRequest, 'text'>, signal: AbortSignal) => Promise<SearchJobResult>;

export interface LocalJobRunnerOptions {
  /** Where the live job looks: this process's ingester, or the listed ingesters. */
  readonly live: readonly SearchSource[];
  readonly blocks: BlockJobRunner;
}

/** A querier's jobs: the live one in this thread (it merges parts from the ingesters), block jobs by `blocks`. */
export class LocalJobRunner implements SearchJobRunner<BlockMeta> {
  readonly #o: LocalJobRunnerOptions;

  constructor(options: LocalJobRunnerOptions) {
    this.#o = options;
  }

  run(tenant: string, job: SearchJob<BlockMeta>, request: SearchRequest, signal: AbortSignal): Promise<SearchJobResult> {
    return job.kind === 'live' ? searchLive(this.#o.live, tenant, request, signal) : this.#o.blocks(job.blocks, request, signal);
  }
}
