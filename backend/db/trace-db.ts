import { BadRequestError } from '../../pipeline/errors.ts';
import type { BlockReader } from '../block/block-reader.ts';
import { mapBounded } from '../block/map-bounded.ts';
import { traceIdToHex, TRACE_ID_BYTES } from '../block/trace-id.ts';
import type { TimeRange, TraceSource } from '../querier/trace-source.ts';
import type { BlockList } from './block-list.ts';

export interface TraceDbOptions {
  readonly blocks: BlockList;
  readonly reader: BlockReader;
  /** Blocks read at once for one lookup; default 16. */
  readonly concurrency?: number;
}

/** Trace by ID over a tenant's blocks: time range and ID range from meta, then bloom, index, one page each. */
export class TraceDb implements TraceSource {
  readonly #blocks: BlockList;
  readonly #reader: BlockReader;
  readonly #concurrency: number;

  constructor(options: TraceDbOptions) {
    this.#blocks = options.blocks;
    this.#reader = options.reader;
    this.#concurrency = options.concurrency ?? 16;
  }

  async findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    if (traceId.length !== TRACE_ID_BYTES) throw new BadRequestError(`trace ID has ${traceId.length} bytes, not 16`);
    const hex = traceIdToHex(traceId);
    const candidates = this.#blocks.inRange(tenant, range).filter((m) => m.minID <= hex && hex <= m.maxID);
    const parts = await mapBounded(candidates, this.#concurrency, (meta) => this.#reader.findTrace(meta, traceId));
    return parts.filter((p): p is Uint8Array => p !== undefined);
  }
}
