import { BadRequestError, RetryableError } from '../../pipeline/errors.ts';
import { SINGLE_TENANT } from '../../pipeline/tenant-id.ts';
import type { MetricsJobResult, MetricsJobRunner, MetricsWork } from '../metrics/metrics-job.ts';
import { metricsWorkParams, parseMetricsJobJson } from '../metrics/metrics-job-json.ts';
import type { BlockRef, SearchJob } from '../search/search-job.ts';
import type { SearchBlockPlanner, SearchJobResult, SearchJobRunner } from '../search/search-job-runner.ts';
import type { SearchRequest } from '../search/search-request.ts';
import type { QuerierPool } from './querier-pool.ts';

/** The querier routes a query-frontend's search uses (backend/api/querier-search-handlers.ts). */
export const QUERIER_SEARCH_PATH = '/querier/api/search';
export const QUERIER_SEARCH_BLOCKS_PATH = '/querier/api/search/blocks';
/** The querier route of one metrics job (backend/api/querier-metrics-handler.ts). */
export const QUERIER_METRICS_PATH = '/querier/api/metrics/query_range';

export interface RemoteSearchJobsOptions {
  readonly pool: QuerierPool;
  /** Per attempt. */
  readonly timeoutMs: number;
}

/**
 * A query-frontend's search over the queriers: the block list comes from a querier (the frontend reads no
 * storage), and each job runs on one, named by its block IDs (or `mode=ingesters` for the live traces),
 * retried on another querier when it fails (QuerierPool). Metrics queries' jobs go the same way.
 */
export class RemoteSearchJobs implements SearchBlockPlanner<BlockRef>, SearchJobRunner<BlockRef>, MetricsJobRunner<BlockRef> {
  readonly #o: RemoteSearchJobsOptions;
  /** The queriers ask the ingesters for live traces. */
  readonly live = true;

  constructor(options: RemoteSearchJobsOptions) {
    this.#o = options;
  }

  async blocks(tenant: string, range: SearchRequest['range'], signal: AbortSignal): Promise<readonly BlockRef[]> {
    const params = new URLSearchParams(rangeParams(range));
    const body = await this.#o.pool.attempt('search blocks', (address, s) => this.#get<{ blocks: BlockRef[] }>(address, { path: QUERIER_SEARCH_BLOCKS_PATH, params, tenant }, s), signal);
    return body.blocks;
  }

  run(tenant: string, job: SearchJob<BlockRef>, request: SearchRequest, signal: AbortSignal): Promise<SearchJobResult> {
    const params = new URLSearchParams({ q: request.text, limit: String(request.limit), spss: String(request.spss), ...rangeParams(request.range) });
    return this.#runJob(tenant, job, { what: 'search', path: QUERIER_SEARCH_PATH, params, parse: (text) => JSON.parse(text) as SearchJobResult }, signal);
  }

  runMetrics(tenant: string, job: SearchJob<BlockRef>, work: MetricsWork, signal: AbortSignal): Promise<MetricsJobResult> {
    const params = new URLSearchParams(metricsWorkParams(work));
    return this.#runJob(tenant, job, { what: 'metrics', path: QUERIER_METRICS_PATH, params, parse: parseMetricsJobJson }, signal);
  }

  /** Sends a job named by its mode (and block IDs) to a querier, retried on others (QuerierPool). */
  #runJob<T>(
    tenant: string, job: SearchJob<BlockRef>, call: { what: string; path: string; params: URLSearchParams; parse: (text: string) => T }, signal: AbortSignal,
  ): Promise<T> {
    const { path, params, parse } = call;
    if (job.kind === 'live') params.set('mode', 'ingesters');
    else {
      params.set('mode', 'blocks');
      params.set('blocks', job.blocks.map((b) => b.blockID).join(','));
    }
    const name = `${call.what} ${job.kind === 'live' ? 'ingesters' : `${job.blocks.length} blocks`}`;
    return this.#o.pool.attempt(name, (address, s) => this.#get(address, { path, params, tenant, parse }, s), signal);
  }

  /** The querier's JSON; its 400 is a BadRequestError (the answer), anything else but 200 a RetryableError. */
  async #get<T>(
    address: string, call: { path: string; params: URLSearchParams; tenant: string; parse?: (text: string) => T }, signal: AbortSignal,
  ): Promise<T> {
    const { path, params, tenant, parse = (t: string) => JSON.parse(t) as T } = call;
    const headers: Record<string, string> = tenant === SINGLE_TENANT ? {} : { 'x-scope-orgid': tenant };
    const res = await fetch(`http://${address}${path}?${params.toString()}`, {
      headers, signal: AbortSignal.any([signal, AbortSignal.timeout(this.#o.timeoutMs)]),
    });
    const text = await res.text();
    if (res.status === 200) return parse(text);
    if (res.status === 400) throw new BadRequestError(text);
    throw new RetryableError(`querier ${address} answered ${res.status}: ${text.slice(0, 200)}`);
  }
}

function rangeParams(range: SearchRequest['range']): Record<string, string> {
  if (range === undefined) return {};
  return { start: String(range.start), ...(range.end === Number.MAX_SAFE_INTEGER ? {} : { end: String(range.end) }) };
}
