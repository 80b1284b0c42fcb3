import type { Logger } from 'pino';
import { BadRequestError, RetryableError } from '../../pipeline/errors.ts';
import { PartialPartsError } from '../querier/partial-parts-error.ts';
import { RemoteTraceSource } from '../querier/remote-trace-source.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { TraceByIdJob } from './trace-by-id-jobs.ts';

/** Tempo's frontend retries a failed job twice (max_retries: 2). */
const MAX_ATTEMPTS = 3;
const QUERIER_PATH = '/querier/api/traces/';

export interface QuerierPoolOptions {
  /** `host:port` of each querier's API; at least one. */
  readonly addresses: readonly string[];
  /** Per attempt, connection included. */
  readonly timeoutMs: number;
  /** Aborts every request in flight (shutdown). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** Sends jobs to the queriers round robin; a job that fails on one is tried on the next ones. */
export class QuerierPool {
  readonly #options: QuerierPoolOptions;
  #next = 0;

  constructor(options: QuerierPoolOptions) {
    this.#options = options;
  }

  /**
   * The job's parts from the first querier that answers, trying up to MAX_ATTEMPTS different queriers.
   * A partial answer (PartialPartsError) is an answer, not retried; the last failure is thrown otherwise.
   */
  run(job: TraceByIdJob, tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    const { timeoutMs, signal } = this.#options;
    return this.attempt(job.name, (address) => {
      const querier = new RemoteTraceSource({ address, timeoutMs, path: QUERIER_PATH, params: job.params, role: 'querier', signal });
      return querier.findTraceById(tenant, traceId, range);
    });
  }

  /**
   * `call` on the next querier round robin, then on the following ones when it fails, up to MAX_ATTEMPTS
   * different queriers; `signal` (the pool's, and the caller's when given) aborts every attempt. Not
   * retried: PartialPartsError and BadRequestError (an answer, not a failure), and anything once aborted.
   */
  async attempt<T>(jobName: string, call: (address: string, signal: AbortSignal) => Promise<T>, caller?: AbortSignal): Promise<T> {
    const { addresses, logger } = this.#options;
    const signal = caller === undefined ? this.#options.signal : AbortSignal.any([this.#options.signal, caller]);
    const first = this.#next;
    this.#next = (this.#next + 1) % addresses.length;
    const attempts = Math.min(addresses.length, MAX_ATTEMPTS);
    let lastError: unknown;
    for (let i = 0; i < attempts && !signal.aborted; i++) {
      const address = addresses[(first + i) % addresses.length]!;
      try {
        return await call(address, signal);
      } catch (err) {
        if (err instanceof PartialPartsError || err instanceof BadRequestError) throw err;
        lastError = err;
        logger.debug({ err, job: jobName, address, attempt: i + 1 }, 'query job failed on a querier');
      }
    }
    caller?.throwIfAborted();
    throw lastError ?? new RetryableError('the query-frontend is stopping');
  }
}
