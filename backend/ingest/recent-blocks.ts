import type { BlockMeta } from '../block/block-meta.ts';
import { MissingBlockObjectError, type BlockReader } from '../block/block-reader.ts';
import { BlockList } from '../db/block-list.ts';
import type { TimeRange } from '../querier/trace-source.ts';

/**
 * Blocks this ingester flushed lately, still searched by its trace lookups for complete_block_timeout: a
 * querier elsewhere finds a block only once its block-list poll has seen it, and until then the trace must
 * not vanish from the ingester that held it.
 */
export class RecentBlocks {
  readonly #reader: BlockReader;
  readonly #keepMs: number;
  readonly #now: () => number;
  readonly #blocks = new BlockList();
  /** Oldest first: when each block leaves. */
  #expiries: { meta: BlockMeta; until: number }[] = [];

  constructor(reader: BlockReader, keepMs: number, now: () => number = Date.now) {
    this.#reader = reader;
    this.#keepMs = keepMs;
    this.#now = now;
  }

  add(meta: BlockMeta): void {
    this.#blocks.add(meta);
    this.#expiries.push({ meta, until: this.#now() + this.#keepMs });
  }

  get size(): number {
    return this.#expiries.length;
  }

  /** The parts of a trace in the recent blocks of `tenant`. */
  async find(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<Uint8Array[]> {
    const now = this.#now();
    while (this.#expiries.length > 0 && this.#expiries[0].until <= now) {
      const { meta } = this.#expiries.shift()!;
      this.#blocks.remove(meta.tenantID, meta.blockID);
    }
    const metas = this.#blocks.inRange(tenant, range);
    const parts = await Promise.all(metas.map((m) => this.#find(m, traceId)));
    return parts.filter((p): p is Uint8Array => p !== undefined);
  }

  /** A block the compactor already merged and deleted has moved on: the queriers read its successor. */
  async #find(meta: BlockMeta, traceId: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return await this.#reader.findTrace(meta, traceId);
    } catch (err) {
      if (!(err instanceof MissingBlockObjectError)) throw err;
      this.#blocks.remove(meta.tenantID, meta.blockID);
      return undefined;
    }
  }
}
