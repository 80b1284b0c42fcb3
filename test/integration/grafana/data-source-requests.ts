import assert from 'node:assert/strict';
import { parseDuration } from '../../../pipeline/config/units.ts';
import type { ApiBase } from '../tempo-client.ts';
import { customHeaders, type ProvisionedDataSource } from './provisioned-data-source.ts';

/**
 * The HTTP requests Grafana's Tempo data source makes with a provisioned data source's settings
 * (tempo-api.md §2): its custom headers on every request, the tag limit, the tags time range, and the
 * trace-by-ID range widened by the TraceID query time shifts. The data source's URL path is kept and its
 * host:port replaced by the server under test.
 */

/** The time picker's range in Explore or on a dashboard. */
export interface PickerRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Grafana's default when `timeRangeForTags` is not set: the last 30 minutes of the range. */
const DEFAULT_TAGS_SECONDS = 1800;
/** Grafana's default TraceID query shifts. */
const DEFAULT_SHIFT = '30m';

export class DataSourceRequests {
  readonly ds: ProvisionedDataSource;
  readonly #api: ApiBase;
  readonly #prefix: string;

  constructor(ds: ProvisionedDataSource, api: ApiBase) {
    this.ds = ds;
    this.#api = api;
    this.#prefix = new URL(ds.url).pathname.replace(/\/$/, '');
  }

  /** `limit` of the tag requests. */
  get tagLimit(): number {
    return this.ds.jsonData.tagLimit ?? 5000;
  }

  /** GET with the data source's headers, as Grafana's proxy and backend send it. */
  async get(pathAndQuery: string, accept = 'application/json'): Promise<Response> {
    return fetch(this.#api.apiUrl(this.#prefix + pathAndQuery), {
      headers: { accept, ...customHeaders(this.ds) }, signal: AbortSignal.timeout(30_000),
    });
  }

  /** GET asserted 200 with a JSON body, that body. */
  async json<T>(pathAndQuery: string): Promise<T> {
    const res = await this.get(pathAndQuery);
    const text = await res.text();
    assert.equal(res.status, 200, `${pathAndQuery}: ${text}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, pathAndQuery);
    return JSON.parse(text) as T;
  }

  /** `start`/`end` (unix seconds) of tag and tag-value requests: the last `timeRangeForTags` of the range. */
  tagRange(range: PickerRange): string {
    const end = Math.floor(range.toMs / 1000);
    return `start=${end - (this.ds.jsonData.timeRangeForTags ?? DEFAULT_TAGS_SECONDS)}&end=${end}`;
  }

  /** `start`/`end` of search and metrics requests: the picker's range in unix seconds. */
  searchRange(range: PickerRange): string {
    return `start=${Math.floor(range.fromMs / 1000)}&end=${Math.floor(range.toMs / 1000)}`;
  }

  /** The query string of a trace-by-ID request: the shifted range when time shift is on, none otherwise. */
  traceQuery(range: PickerRange): string {
    const q = this.ds.jsonData.traceQuery;
    if (q?.timeShiftEnabled !== true) return '';
    const fromMs = range.fromMs - parseDuration(q.spanStartTimeShift ?? DEFAULT_SHIFT);
    const toMs = range.toMs + parseDuration(q.spanEndTimeShift ?? DEFAULT_SHIFT);
    return `?start=${Math.floor(fromMs / 1000)}&end=${Math.floor(toMs / 1000)}`;
  }
}
