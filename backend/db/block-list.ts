import type { BlockMeta } from '../block/block-meta.ts';
import type { CompactedBlockMeta } from '../block/compacted-meta.ts';
import type { TimeRange } from '../querier/trace-source.ts';

interface Listed<M extends BlockMeta> {
  readonly meta: M;
  /** The block's time range widened to whole unix seconds. */
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Unix ms when `add` announced it (a flush in this process); undefined when it came from a poll. */
  readonly announcedAtMs?: number;
  /** Unix ms of compactedTime; NaN for live blocks. */
  readonly compactedMs: number;
}

export interface ReplaceOptions {
  /** The tenant's blocks marked compacted (meta.compacted.json). */
  readonly compacted?: readonly CompactedBlockMeta[];
  /**
   * Blocks announced by `add` at or after this unix ms, and absent from the poll result, are kept: the
   * poll may have listed the bucket (or read an index) before their meta.json was written.
   */
  readonly keepAnnouncedSinceMs?: number;
}

export interface BlockListOptions {
  /** Clock for announcements; default Date.now. */
  readonly now?: () => number;
}

/** The blocks known per tenant, live and compacted, in memory; what a poller or a flush adds. */
export class BlockList {
  readonly #live = new Map<string, Map<string, Listed<BlockMeta>>>();
  readonly #compacted = new Map<string, Map<string, Listed<CompactedBlockMeta>>>();
  readonly #now: () => number;

  constructor(options: BlockListOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Announces a live block at once (a flush in this process), replacing one with the same tenant and ID. */
  add(meta: BlockMeta): void {
    put(this.#live, listed(meta, this.#now()));
  }

  /** True when the block was listed as live. */
  remove(tenantID: string, blockID: string): boolean {
    const blocks = this.#live.get(tenantID);
    if (blocks === undefined || !blocks.delete(blockID)) return false;
    if (blocks.size === 0) this.#live.delete(tenantID);
    return true;
  }

  /** Makes `metas` (and `options.compacted`) the tenant's whole list: a poll result. */
  replace(tenantID: string, metas: readonly BlockMeta[], options: ReplaceOptions = {}): void {
    const compacted = options.compacted ?? [];
    const since = options.keepAnnouncedSinceMs ?? Infinity;
    const polled = new Set([...metas, ...compacted].map((m) => m.blockID));
    const kept = [...(this.#live.get(tenantID)?.values() ?? [])]
      .filter((b) => (b.announcedAtMs ?? -Infinity) >= since && !polled.has(b.meta.blockID));
    this.#live.delete(tenantID);
    this.#compacted.delete(tenantID);
    for (const meta of metas) put(this.#live, listed({ ...meta, tenantID }));
    for (const b of kept) put(this.#live, b);
    for (const meta of compacted) put(this.#compacted, listed({ ...meta, tenantID }));
  }

  /** Tenants with at least one live or compacted block. */
  tenants(): string[] {
    return [...new Set([...this.#live.keys(), ...this.#compacted.keys()])];
  }

  forTenant(tenantID: string): BlockMeta[] {
    return [...(this.#live.get(tenantID)?.values() ?? [])].map((b) => b.meta);
  }

  compactedForTenant(tenantID: string): CompactedBlockMeta[] {
    return [...(this.#compacted.get(tenantID)?.values() ?? [])].map((b) => b.meta);
  }

  /** The tenant's live blocks whose time range overlaps `range` (inclusive); all of them without a range. */
  inRange(tenantID: string, range?: TimeRange): BlockMeta[] {
    return overlapping(this.#live.get(tenantID), range, -Infinity);
  }

  /** Like inRange over the tenant's blocks marked compacted at or after `compactedSinceMs` (unix ms). */
  compactedInRange(tenantID: string, range: TimeRange | undefined, compactedSinceMs: number): CompactedBlockMeta[] {
    return overlapping(this.#compacted.get(tenantID), range, compactedSinceMs);
  }
}

function listed<M extends BlockMeta>(meta: M, announcedAtMs?: number): Listed<M> {
  const compactedTime = (meta as Partial<CompactedBlockMeta>).compactedTime;
  return {
    meta,
    startSeconds: Math.floor(Date.parse(meta.startTime) / 1000),
    endSeconds: Math.ceil(Date.parse(meta.endTime) / 1000),
    announcedAtMs,
    compactedMs: compactedTime === undefined ? NaN : Date.parse(compactedTime),
  };
}

function put<M extends BlockMeta>(tenants: Map<string, Map<string, Listed<M>>>, entry: Listed<M>): void {
  let blocks = tenants.get(entry.meta.tenantID);
  if (blocks === undefined) tenants.set(entry.meta.tenantID, (blocks = new Map()));
  blocks.set(entry.meta.blockID, entry);
}

function overlapping<M extends BlockMeta>(blocks: Map<string, Listed<M>> | undefined, range: TimeRange | undefined, sinceMs: number): M[] {
  const out: M[] = [];
  for (const b of blocks?.values() ?? []) {
    if (range !== undefined && (b.startSeconds > range.end || b.endSeconds < range.start)) continue;
    if (sinceMs !== -Infinity && !(b.compactedMs >= sinceMs)) continue;
    out.push(b.meta);
  }
  return out;
}
