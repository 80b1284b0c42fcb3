import { RetryableError } from '../../pipeline/errors.ts';
import { SINGLE_TENANT } from '../../pipeline/tenant-id.ts';
import { PartialPartsError } from './partial-parts-error.ts';
import { readTraceByIdResponse } from './trace-by-id-response-reader.ts';
import type { TimeRange, TraceSource } from './trace-source.ts';

export interface RemoteTraceSourceOptions {
  /** `host:port` of the ingester's Tempo API; named in errors. */
  readonly address: string;
  /** Per request, connection included. */
  readonly timeoutMs: number;
}

/**
 * One ingester's live traces, asked over its Tempo API (`GET /api/v2/traces/<id>`, protobuf). Node's fetch
 * keeps connections alive between lookups. An unreachable, slow or failing ingester is a RetryableError
 * naming it, so the Querier answers PARTIAL instead of failing.
 */
export class RemoteTraceSource implements TraceSource {
  readonly #address: string;
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(options: RemoteTraceSourceOptions) {
    this.#address = options.address;
    this.#base = `http://${options.address}`;
    this.#timeoutMs = options.timeoutMs;
  }

  async findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    const url = new URL(`/api/v2/traces/${Buffer.from(traceId).toString('hex')}`, this.#base);
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
      throw new RetryableError(`ingester ${this.#address}: malformed trace by ID response`, { cause: err });
    }
    const parts = answer.trace.byteLength === 0 ? [] : [answer.trace];
    if (answer.partial) {
      throw new PartialPartsError(`ingester ${this.#address} answered a partial trace: ${answer.message}`, parts);
    }
    return parts;
  }

  /** The 200 body, or undefined on 404. */
  async #get(url: URL, headers: Record<string, string>): Promise<Uint8Array | undefined> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      const res = await fetch(url, { headers, signal });
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new RetryableError(`ingester ${this.#address} answered ${res.status}`);
      return body;
    } catch (err) {
      if (err instanceof RetryableError) throw err;
      const why = signal.aborted ? `timed out after ${this.#timeoutMs} ms` : 'unreachable';
      throw new RetryableError(`ingester ${this.#address} ${why}`, { cause: err });
    }
  }
}
