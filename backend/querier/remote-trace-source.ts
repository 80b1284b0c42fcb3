import { RetryableError } from '../../pipeline/errors.ts';
import { SINGLE_TENANT } from '../../pipeline/tenant-id.ts';
import { PartialPartsError } from './partial-parts-error.ts';
import { readTraceByIdResponse } from './trace-by-id-response-reader.ts';
import type { TimeRange, TraceSource } from './trace-source.ts';

export interface RemoteTraceSourceOptions {
  /** `host:port` of the process's Tempo API; named in errors. */
  readonly address: string;
  /** Per request, connection included. */
  readonly timeoutMs: number;
  /** Default `/api/v2/traces/` (an ingester's live traces); a query-frontend asks `/querier/api/traces/`. */
  readonly path?: string;
  /** Added to the query string (mode, blockStart, blockEnd). */
  readonly params?: Readonly<Record<string, string>>;
  /** What the process is, in error messages; default `ingester`. */
  readonly role?: string;
  /** Aborts the request (shutdown); a timeout aborts it too. */
  readonly signal?: AbortSignal;
}

/**
 * One ingester's live traces, asked over its Tempo API (`GET /api/v2/traces/<id>`, protobuf), or with
 * `path` and `params` one query-frontend job asked of a querier. Node's fetch keeps connections alive
 * between lookups. An unreachable, slow or failing process is a RetryableError naming it, so the Querier
 * (or the frontend) answers PARTIAL instead of failing; a partial answer is a PartialPartsError.
 */
export class RemoteTraceSource implements TraceSource {
  readonly #address: string;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #path: string;
  readonly #params: Readonly<Record<string, string>>;
  readonly #role: string;
  readonly #signal: AbortSignal | undefined;

  constructor(options: RemoteTraceSourceOptions) {
    this.#address = options.address;
    this.#base = `http://${options.address}`;
    this.#timeoutMs = options.timeoutMs;
    this.#path = options.path ?? '/api/v2/traces/';
    this.#params = options.params ?? {};
    this.#role = options.role ?? 'ingester';
    this.#signal = options.signal;
  }

  async findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    const url = new URL(`${this.#path}${Buffer.from(traceId).toString('hex')}`, this.#base);
    for (const [name, value] of Object.entries(this.#params)) url.searchParams.set(name, value);
    if (range !== undefined) {
      url.searchParams.set('start', String(range.start));
      url.searchParams.set('end', String(range.end));
    }
    const headers: Record<string, string> = { accept: 'application/protobuf' };
    if (tenant !== SINGLE_TENANT) headers['x-scope-orgid'] = tenant;
    const body = await this.#get(url, headers);
    if (body === undefined) return [];
    let answer;
    try {
      answer = readTraceByIdResponse(body);
    } catch (err) {
      throw new RetryableError(`${this.#role} ${this.#address}: malformed trace by ID response`, { cause: err });
    }
    const parts = answer.trace.byteLength === 0 ? [] : [answer.trace];
    if (answer.partial) {
      throw new PartialPartsError(`${this.#role} ${this.#address} answered a partial trace: ${answer.message}`, parts);
    }
    return parts;
  }

  /** The 200 body, or undefined on 404. */
  async #get(url: URL, headers: Record<string, string>): Promise<Uint8Array | undefined> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = this.#signal === undefined ? timeout : AbortSignal.any([timeout, this.#signal]);
    try {
      const res = await fetch(url, { headers, signal });
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new RetryableError(`${this.#role} ${this.#address} answered ${res.status}`);
      return body;
    } catch (err) {
      if (err instanceof RetryableError) throw err;
      const why = timeout.aborted ? `timed out after ${this.#timeoutMs} ms` : signal.aborted ? 'request aborted' : 'unreachable';
      throw new RetryableError(`${this.#role} ${this.#address} ${why}`, { cause: err });
    }
  }
}
