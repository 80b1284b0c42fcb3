import type { Logger } from 'pino';
import { QueryTimeoutError } from './query-timeout-error.ts';
import { SearchCombiner } from './search-combiner.ts';
import { planSearchJobs, type BlockRef, type SearchJob } from './search-job.ts';
import type { SearchBlockPlanner, SearchJobRunner } from './search-job-runner.ts';
import { checkSearchLimits, type SearchSettings } from './search-limits.ts';
import type { SearchRequest } from './search-request.ts';
import type { SearchResponseJson, SearchService } from './search-service.ts';

export interface TraceSearchOptions<B extends BlockRef> {
  /** This process's block list, or a querier's (query-frontend). */
  readonly planner: SearchBlockPlanner<B>;
  /** In this thread, on worker threads, or on queriers. */
  readonly runner: SearchJobRunner<B>;
  readonly settings: SearchSettings;
  readonly logger: Logger;
}

/**
 * A search as Tempo's query-frontend runs it: refused when over the limits, split into jobs (the live
 * traces, then blocks newest first, search-job.ts), run `concurrentJobs` at a time, each job's results
 * merged as it finishes (SearchCombiner); once the answer is settled (`limit` traces found, or with
 * `most_recent` the newest `limit`), jobs still running are aborted and jobs not started are dropped. Blocks that appear while the search runs are searched after
 * (their traces may have left the live ones). Each part of a trace (a block, the live traces) is matched
 * on its own, as in Tempo. A job that fails fails the search; past `queryTimeoutMs` it is a
 * QueryTimeoutError (504).
 */
export class TraceSearch<B extends BlockRef = BlockRef> implements SearchService {
  readonly #o: TraceSearchOptions<B>;

  constructor(options: TraceSearchOptions<B>) {
    this.#o = options;
  }

  async search(tenant: string, request: SearchRequest, signal?: AbortSignal): Promise<SearchResponseJson> {
    const { planner, settings } = this.#o;
    checkSearchLimits(request, settings);
    const timeout = AbortSignal.timeout(settings.queryTimeoutMs);
    const searchSignal = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    const round = { tenant, request, combiner: new SearchCombiner(request.limit, request.mostRecent), signal: searchSignal };
    try {
      const planned = await planner.blocks(tenant, request.range, searchSignal);
      let totalJobs = await this.#runJobs({ ...round, jobs: this.#plan(planned, planner.live) });
      // A block flushed while the search ran holds traces the live job may no longer have held: search the
      // blocks the list has gained too (a part seen twice merges into the same result).
      const known = new Set(planned.map((b) => b.blockID));
      const fresh = (await planner.blocks(tenant, request.range, searchSignal)).filter((b) => !known.has(b.blockID));
      totalJobs += await this.#runJobs({ ...round, jobs: this.#plan(fresh, false) });
      const response = round.combiner.response(totalJobs);
      this.#o.logger.debug({ tenant, query: request.text, ...response.metrics, found: response.traces?.length ?? 0 }, 'search done');
      return response;
    } catch (err) {
      signal?.throwIfAborted();
      if (timeout.aborted) throw new QueryTimeoutError({ cause: err });
      throw err;
    }
  }

  #plan(blocks: readonly B[], live: boolean): SearchJob<B>[] {
    return planSearchJobs(blocks, { live, targetBytesPerJob: this.#o.settings.targetBytesPerJob });
  }

  /**
   * Runs the jobs in order, `concurrentJobs` at once, until all are done or the answer is settled (none
   * when it already is); answers how many jobs there were.
   */
  async #runJobs(run: {
    tenant: string; request: SearchRequest; jobs: readonly SearchJob<B>[]; combiner: SearchCombiner; signal: AbortSignal;
  }): Promise<number> {
    const { tenant, request, jobs, combiner } = run;
    if (jobs.length === 0 || combiner.completeFor(jobs[0]!.endSeconds)) return jobs.length;
    const settled = new AbortController();
    const signal = AbortSignal.any([settled.signal, run.signal]);
    const done = jobs.map(() => false);
    let oldestPending = 0;
    let next = 0;
    let failure: { error: unknown } | undefined;
    const lane = async (): Promise<void> => {
      while (next < jobs.length && !signal.aborted) {
        const i = next++;
        try {
          combiner.add(await this.#o.runner.run(tenant, jobs[i]!, request, signal));
        } catch (error) {
          if (signal.aborted) return;
          failure ??= { error };
          settled.abort();
          return;
        }
        done[i] = true;
        while (oldestPending < jobs.length && done[oldestPending]) oldestPending++;
        const pendingEnd = oldestPending < jobs.length ? jobs[oldestPending]!.endSeconds : -Infinity;
        if (combiner.completeFor(pendingEnd)) settled.abort();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#o.settings.concurrentJobs, jobs.length) }, lane));
    if (failure !== undefined) throw failure.error;
    run.signal.throwIfAborted();
    return jobs.length;
  }
}
