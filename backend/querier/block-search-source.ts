import { BlockIterator } from '../block/block-iterator.ts';
import type { BlockList } from '../db/block-list.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { SearchSource, VisitPart } from './search-source.ts';
import type { TimeRange } from './trace-source.ts';

export interface BlockSearchSourceOptions {
  readonly blocks: BlockList;
  readonly store: ObjectStore;
}

/**
 * Every trace of every block of the tenant whose time range overlaps the search's (blocks outside it are
 * not opened), read one block at a time in trace ID order with BlockIterator (any block format).
 */
export class BlockSearchSource implements SearchSource {
  readonly #blocks: BlockList;
  readonly #store: ObjectStore;

  constructor(options: BlockSearchSourceOptions) {
    this.#blocks = options.blocks;
    this.#store = options.store;
  }

  async searchCandidates(tenant: string, range: TimeRange | undefined, visit: VisitPart, signal?: AbortSignal): Promise<void> {
    for (const meta of this.#blocks.inRange(tenant, range)) {
      signal?.throwIfAborted();
      const it = await BlockIterator.open(this.#store, meta);
      for (let record = await it.next(); record !== undefined; record = await it.next()) visit(record.traceId, record.trace);
    }
  }
}
