import type { TraceByIdOptions } from '../querier/querier.ts';
import type { TimeRange } from '../querier/trace-source.ts';

/** A trace as the API serves it; the querier's result has this shape. */
export interface FoundTrace {
  /** Encoded Trace (TracesData bytes). */
  readonly trace: Uint8Array;
  readonly spanCount: number;
  readonly inspectedBytes: number;
  readonly status: 'complete' | 'partial';
  readonly message?: string;
}

/** What the trace-by-ID routes need from the querier, given to the API when it is wired. */
export interface TraceLookup {
  /** undefined when the trace is known not to exist. */
  traceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<FoundTrace | undefined>;
}

/** What a query-frontend job asks of a querier: trace by ID limited to live traces or to a shard of blocks. */
export interface QuerierLookup extends TraceLookup {
  traceById(tenant: string, traceId: Uint8Array, range?: TimeRange, options?: TraceByIdOptions): Promise<FoundTrace | undefined>;
}
