import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { META_NAME, blockObjectKey } from './block-layout.ts';

/** Publishes a block: its meta.json, written once every other object of the block is in place. */
export async function writeBlockMeta(store: ObjectStore, meta: BlockMeta): Promise<void> {
  await store.put(blockObjectKey(meta.tenantID, meta.blockID, META_NAME), new TextEncoder().encode(JSON.stringify(meta)));
}
