import { BadRequestError } from '../../pipeline/errors.ts';
import { MissingBlockObjectError, type BlockReader } from '../block/block-reader.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { mapBounded } from '../block/map-bounded.ts';
import { traceIdToHex, TRACE_ID_BYTES } from '../block/trace-id.ts';
import type { TimeRange, TraceSource } from '../querier/trace-source.ts';
import type { BlockList } from './block-list.ts';
import { DEFAULT_BLOCKLIST_POLL_MS } from './blocklist-poller-options.ts';

export interface TraceDbOptions {
  readonly blocks: BlockList;
  readonly reader: BlockReader;
  /** Blocks read at once for one lookup; default 16. */
  readonly concurrency?: number;
  /**
   * Blocks marked compacted this recently are still read (Tempo: 2 × blocklist_poll), so a trace stays
   * findable while this process's list, or the index it read, may lack the compaction's output block.
   * Default 2 × DEFAULT_BLOCKLIST_POLL_MS; the compactor must keep compacted blocks at least this long.
   */
  readonly compactedLookbackMs?: number;
  /** Clock; default Date.now. */
  readonly now?: () => number;
}

/**
 * Trace by ID over a tenant's blocks (and recently compacted ones: the querier drops the duplicate spans):
 * time range and ID range from meta, then bloom, index, one page each.
 */
export class TraceDb implements TraceSource {
  readonly #blocks: BlockList;
  readonly #reader: BlockReader;
  readonly #concurrency: number;
  readonly #compactedLookbackMs: number;
  readonly #now: () => number;

  constructor(options: TraceDbOptions) {
    this.#blocks = options.blocks;
    this.#reader = options.reader;
    this.#concurrency = options.concurrency ?? 16;
    this.#compactedLookbackMs = options.compactedLookbackMs ?? 2 * DEFAULT_BLOCKLIST_POLL_MS;
    this.#now = options.now ?? Date.now;
  }

  async findTraceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    if (traceId.length !== TRACE_ID_BYTES) throw new BadRequestError(`trace ID has ${traceId.length} bytes, not 16`);
    const hex = traceIdToHex(traceId);
    const admits = (m: BlockMeta): boolean => m.minID <= hex && hex <= m.maxID;
    const live = this.#blocks.inRange(tenant, range).filter(admits);
    const compacted = this.#blocks.compactedInRange(tenant, range, this.#now() - this.#compactedLookbackMs).filter(admits);
    const parts = await mapBounded([...live, ...compacted], this.#concurrency, (meta) =>
      this.#reader.findTrace(meta, traceId).catch((err: unknown) => {
        // A compacted block may be deleted before this list learns of it; its spans are in its outputs.
        if (err instanceof MissingBlockObjectError && !live.includes(meta)) return undefined;
        throw err;
      }));
    return parts.filter((p): p is Uint8Array => p !== undefined);
  }
}
