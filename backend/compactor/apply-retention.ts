import type { BlockMeta } from '../block/block-meta.ts';
import { markBlockCompacted, type CompactedBlockMeta } from '../block/compacted-meta.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface RetentionOptions {
  readonly store: ObjectStore;
  readonly live: readonly BlockMeta[];
  /** The tenant's block_retention in ms; 0 keeps everything. */
  readonly retentionMs: number;
  readonly owns: (meta: BlockMeta) => boolean;
  readonly nowMs: number;
}

export interface Retained {
  readonly live: BlockMeta[];
  /** Blocks past retention, now marked compacted: deleted after compacted_block_retention, like Tempo. */
  readonly expired: CompactedBlockMeta[];
}

/**
 * Tempo's retention: a block whose end time is older than the retention is marked compacted, which takes
 * it out of queries at once; the clean-up deletes its objects once compacted_block_retention has passed, so
 * a querier still holding an old block list never reads a half-deleted block.
 */
export async function applyRetention(options: RetentionOptions): Promise<Retained> {
  const { retentionMs, nowMs } = options;
  const live: BlockMeta[] = [];
  const expired: CompactedBlockMeta[] = [];
  for (const meta of options.live) {
    if (retentionMs > 0 && Date.parse(meta.endTime) < nowMs - retentionMs && options.owns(meta)) {
      expired.push(await markBlockCompacted(options.store, meta, nowMs));
    } else {
      live.push(meta);
    }
  }
  return { live, expired };
}
