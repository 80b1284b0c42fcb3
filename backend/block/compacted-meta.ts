import { TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { META_NAME, blockObjectKey } from './block-layout.ts';
import { parseBlockMeta } from './read-block-metas.ts';
import { readTenantMetaObjects, type ReadBlockMetasOptions } from './read-meta-object.ts';

/** Tempo's name for the marker of a block merged into others (or expired): it is no longer queried. */
export const COMPACTED_META_NAME = 'meta.compacted.json';

/** meta.compacted.json: the block's meta plus when it was marked (RFC 3339), as Tempo's CompactedBlockMeta. */
export interface CompactedBlockMeta extends BlockMeta {
  compactedTime: string;
}

/**
 * Marks a block compacted: meta.compacted.json first, then meta.json goes. In between the block is both live
 * and marked, never neither, so a reader never loses it; the next pass finishes a mark left half done.
 */
export async function markBlockCompacted(store: ObjectStore, meta: BlockMeta, compactedAtMs: number): Promise<CompactedBlockMeta> {
  const compacted: CompactedBlockMeta = { ...meta, compactedTime: new Date(compactedAtMs).toISOString() };
  const key = (name: string) => blockObjectKey(meta.tenantID, meta.blockID, name);
  await store.put(key(COMPACTED_META_NAME), new TextEncoder().encode(JSON.stringify(compacted)));
  await store.delete(key(META_NAME));
  return compacted;
}

/** Metas of the tenant's compacted blocks (those with a meta.compacted.json). */
export function readCompactedMetas(
  store: ObjectStore, tenantID: string, options: ReadBlockMetasOptions = {},
): Promise<CompactedBlockMeta[]> {
  return readTenantMetaObjects(store, tenantID, COMPACTED_META_NAME, parseCompactedMeta, options);
}

/** Checks the shape of a meta.compacted.json and that it belongs where it was found. */
export function parseCompactedMeta(bytes: Uint8Array, tenantID: string, blockID: string): CompactedBlockMeta {
  const meta = parseBlockMeta(bytes, tenantID, blockID) as BlockMeta & { compactedTime?: unknown };
  if (typeof meta.compactedTime !== 'string' || Number.isNaN(Date.parse(meta.compactedTime))) {
    throw new TracelakeError('field compactedTime is not a time');
  }
  return meta as CompactedBlockMeta;
}
