import type { BlockMeta } from '../block/block-meta.ts';
import type { CompactedBlockMeta } from '../block/compacted-meta.ts';
import { BlockList, type ReplaceOptions } from '../db/block-list.ts';
import { inBlockIdRange, type BlockIdRange } from './block-id-range.ts';
import type { TimeRange } from './trace-source.ts';

/**
 * A read-only view of a BlockList holding only the blocks whose ID is in one shard of the block ID space:
 * what a TraceDb reads to answer one query-frontend job. Changing it throws: change the list it views.
 */
export class BlockShardList extends BlockList {
  readonly #inner: BlockList;
  readonly #shard: BlockIdRange;

  constructor(inner: BlockList, shard: BlockIdRange) {
    super();
    this.#inner = inner;
    this.#shard = shard;
  }

  override inRange(tenantID: string, range?: TimeRange): BlockMeta[] {
    return this.#inner.inRange(tenantID, range).filter((m) => inBlockIdRange(m.blockID, this.#shard));
  }

  override compactedInRange(tenantID: string, range: TimeRange | undefined, compactedSinceMs: number): CompactedBlockMeta[] {
    return this.#inner.compactedInRange(tenantID, range, compactedSinceMs).filter((m) => inBlockIdRange(m.blockID, this.#shard));
  }

  override forTenant(tenantID: string): BlockMeta[] {
    return this.#inner.forTenant(tenantID).filter((m) => inBlockIdRange(m.blockID, this.#shard));
  }

  override compactedForTenant(tenantID: string): CompactedBlockMeta[] {
    return this.#inner.compactedForTenant(tenantID).filter((m) => inBlockIdRange(m.blockID, this.#shard));
  }

  override tenants(): string[] {
    return this.#inner.tenants().filter((t) => this.forTenant(t).length > 0 || this.compactedForTenant(t).length > 0);
  }

  override add(_meta: BlockMeta): void {
    throw new TypeError('BlockShardList is a read-only view');
  }

  override remove(_tenantID: string, _blockID: string): boolean {
    throw new TypeError('BlockShardList is a read-only view');
  }

  override replace(_tenantID: string, _metas: readonly BlockMeta[], _options?: ReplaceOptions): void {
    throw new TypeError('BlockShardList is a read-only view');
  }
}
