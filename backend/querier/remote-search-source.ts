import type { Logger } from 'pino';
import { SINGLE_TENANT } from '../../pipeline/tenant-id.ts';
import { readCandidateParts } from './candidate-parts.ts';
import type { SearchSource, VisitPart } from './search-source.ts';
import type { TimeRange } from './trace-source.ts';

export interface RemoteSearchSourceOptions {
  /** `host:port` of the ingester's Tempo API. */
  readonly address: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * One ingester's unflushed traces for a querier's search, over `GET /ingester/api/search-candidates`. An
 * ingester that does not answer leaves its live traces out of the search (logged), as it would leave them
 * out of a trace lookup's PARTIAL answer: its flushed traces are in the blocks.
 */
export class RemoteSearchSource implements SearchSource {
  readonly #o: RemoteSearchSourceOptions;

  constructor(options: RemoteSearchSourceOptions) {
    this.#o = options;
  }

  async searchCandidates(tenant: string, range: TimeRange | undefined, visit: VisitPart, signal?: AbortSignal): Promise<void> {
    const url = new URL('/ingester/api/search-candidates', `http://${this.#o.address}`);
    if (range !== undefined) {
      url.searchParams.set('start', String(range.start));
      url.searchParams.set('end', String(range.end));
    }
    const headers: Record<string, string> = tenant === SINGLE_TENANT ? {} : { 'x-scope-orgid': tenant };
    const timeout = AbortSignal.timeout(this.#o.timeoutMs);
    let body: Uint8Array;
    try {
      const res = await fetch(url, { headers, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${(await res.text()).slice(0, 200)}`);
      body = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      signal?.throwIfAborted();
      this.#o.logger.warn({ err, ingester: this.#o.address, tenant }, 'ingester did not hand over its live traces; searching without them');
      return;
    }
    readCandidateParts(body, visit);
  }
}
