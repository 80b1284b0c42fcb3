import type { Logger } from 'pino';
import { mergeAnswers } from '../querier/merge-answers.ts';
import type { TraceByIdResult } from '../querier/querier.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import { JobLimiter } from './job-limiter.ts';
import { QuerierPool } from './querier-pool.ts';
import { traceByIdJobs, type TraceByIdJob } from './trace-by-id-jobs.ts';

/** Tempo's max_outstanding_per_tenant default: jobs waiting beyond it are refused (429). */
const MAX_WAITING_JOBS = 2000;

export interface QueryFrontendOptions {
  /** `host:port` of each querier's API; at least one. */
  readonly querierAddresses: readonly string[];
  /** Ranges the block ID space is cut into, one job each (plus one job for the live traces). */
  readonly queryShards: number;
  /** Jobs in flight at once over every request. */
  readonly maxConcurrentJobs: number;
  /** Per job attempt. */
  readonly querierTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * Trace by ID as Tempo's query-frontend does it: split into jobs (the ingesters' live traces, then one per
 * shard of block IDs), sent to the queriers with bounded concurrency and retried on another querier, the
 * parts merged without duplicate spans. A failed or partial job makes the answer PARTIAL; every job
 * failing with nothing found is a RetryableError (503), as from a querier. The API serves it as its
 * TraceLookup.
 */
export class QueryFrontend {
  readonly #jobs: readonly TraceByIdJob[];
  readonly #limiter: JobLimiter;
  readonly #pool: QuerierPool;
  readonly #stopping = new AbortController();
  readonly #logger: Logger;

  constructor(options: QueryFrontendOptions) {
    this.#jobs = traceByIdJobs(options.queryShards);
    this.#limiter = new JobLimiter({ concurrency: options.maxConcurrentJobs, maxWaiting: MAX_WAITING_JOBS });
    this.#logger = options.logger;
    this.#pool = new QuerierPool({
      addresses: options.querierAddresses,
      timeoutMs: options.querierTimeoutMs,
      signal: this.#stopping.signal,
      logger: options.logger,
    });
  }

  async traceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<TraceByIdResult | undefined> {
    const answers = await this.#limiter.runAll(this.#jobs.map((job) => () => this.#pool.run(job, tenant, traceId, range)));
    return mergeAnswers(answers, { noun: 'query job', tenant, logger: this.#logger });
  }

  /** Aborts the jobs in flight; idempotent. */
  stop(): void {
    this.#stopping.abort();
  }
}
