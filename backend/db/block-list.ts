import type { BlockMeta } from '../block/block-meta.ts';
import type { TimeRange } from '../querier/trace-source.ts';

interface Listed {
  readonly meta: BlockMeta;
  /** The block's time range widened to whole unix seconds. */
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** The blocks known per tenant, in memory; what a poller or a flush adds and compaction removes. */
export class BlockList {
  readonly #tenants = new Map<string, Map<string, Listed>>();

  /** Adds a block, replacing one with the same tenant and block ID. */
  add(meta: BlockMeta): void {
    let blocks = this.#tenants.get(meta.tenantID);
    if (blocks === undefined) this.#tenants.set(meta.tenantID, (blocks = new Map()));
    blocks.set(meta.blockID, {
      meta,
      startSeconds: Math.floor(Date.parse(meta.startTime) / 1000),
      endSeconds: Math.ceil(Date.parse(meta.endTime) / 1000),
    });
  }

  /** True when the block was listed. */
  remove(tenantID: string, blockID: string): boolean {
    const blocks = this.#tenants.get(tenantID);
    if (blocks === undefined || !blocks.delete(blockID)) return false;
    if (blocks.size === 0) this.#tenants.delete(tenantID);
    return true;
  }

  /** Makes `metas` the tenant's whole list (a poll result). */
  replace(tenantID: string, metas: readonly BlockMeta[]): void {
    this.#tenants.delete(tenantID);
    for (const meta of metas) this.add({ ...meta, tenantID });
  }

  tenants(): string[] {
    return [...this.#tenants.keys()];
  }

  forTenant(tenantID: string): BlockMeta[] {
    return [...(this.#tenants.get(tenantID)?.values() ?? [])].map((b) => b.meta);
  }

  /** The tenant's blocks whose time range overlaps `range` (inclusive); all of them without a range. */
  inRange(tenantID: string, range?: TimeRange): BlockMeta[] {
    const out: BlockMeta[] = [];
    for (const b of this.#tenants.get(tenantID)?.values() ?? []) {
      if (range === undefined || (b.startSeconds <= range.end && b.endSeconds >= range.start)) out.push(b.meta);
    }
    return out;
  }
}
