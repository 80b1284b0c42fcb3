import type { CompactedBlockMeta } from '../block/compacted-meta.ts';
import { deleteBlock } from '../block/delete-block.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface DeleteCompactedOptions {
  readonly store: ObjectStore;
  readonly compacted: readonly CompactedBlockMeta[];
  readonly compactedRetentionMs: number;
  readonly owns: (meta: CompactedBlockMeta) => boolean;
  readonly nowMs: number;
}

/** Deletes the compacted blocks marked at least compacted_block_retention ago; returns their IDs. */
export async function deleteExpiredCompacted(options: DeleteCompactedOptions): Promise<string[]> {
  const deleted: string[] = [];
  for (const meta of options.compacted) {
    if (Date.parse(meta.compactedTime) + options.compactedRetentionMs > options.nowMs || !options.owns(meta)) continue;
    await deleteBlock(options.store, meta.tenantID, meta.blockID);
    deleted.push(meta.blockID);
  }
  return deleted;
}
