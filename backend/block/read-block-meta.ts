import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { META_NAME } from './block-layout.ts';
import { parseBlockMeta } from './read-block-metas.ts';
import { readMetaObject } from './read-meta-object.ts';

/** The block's meta.json as stored now, or undefined when the block is not live (never was, or was marked compacted). */
export function readBlockMeta(store: ObjectStore, tenantID: string, blockID: string): Promise<BlockMeta | undefined> {
  return readMetaObject(store, { tenantID, blockID, name: META_NAME }, parseBlockMeta);
}
