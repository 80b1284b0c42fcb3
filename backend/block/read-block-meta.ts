import { NotFoundError, TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { META_NAME, blockObjectKey } from './block-layout.ts';
import { parseBlockMeta } from './read-block-metas.ts';

/** The block's meta.json as stored now, or undefined when the block is not live (never was, or was marked compacted). */
export async function readBlockMeta(store: ObjectStore, tenantID: string, blockID: string): Promise<BlockMeta | undefined> {
  const key = blockObjectKey(tenantID, blockID, META_NAME);
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  try {
    return parseBlockMeta(bytes, tenantID, blockID);
  } catch (err) {
    throw new TracelakeError(`${key}: ${(err as Error).message}`, { cause: err });
  }
}
