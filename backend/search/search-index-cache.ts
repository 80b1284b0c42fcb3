import { NotFoundError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import { ByteLru } from '../block/byte-lru.ts';
import { blockObjectKey, INDEX_NAME } from '../block/block-layout.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { RowGroupIndex } from '../block/row-group-index.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/** Parsed indexes kept per store; a block's index never changes, so entries never go stale. */
export const INDEX_CACHE_BYTES = 64 * 1024 * 1024;

const caches = new WeakMap<ObjectStore, ByteLru<RowGroupIndex>>();

/**
 * The row group index of a tl2 block, from a bounded LRU (per store, by tenant and block ID) so repeated
 * searches over the same blocks read and parse it once; `bytesRead` is 0 on a hit.
 */
export async function searchIndex(store: ObjectStore, meta: BlockMeta): Promise<{ index: RowGroupIndex; bytesRead: number }> {
  let cache = caches.get(store);
  if (cache === undefined) caches.set(store, (cache = new ByteLru(INDEX_CACHE_BYTES)));
  const key = `${meta.tenantID}/${meta.blockID}`;
  const hit = cache.get(key);
  if (hit !== undefined) return { index: hit, bytesRead: 0 };
  let bytes: Uint8Array;
  try {
    bytes = await store.get(blockObjectKey(meta.tenantID, meta.blockID, INDEX_NAME));
  } catch (err) {
    if (err instanceof NotFoundError) throw new RetryableError(`block ${key}: object index is missing (deleted or never written)`, { cause: err });
    throw err;
  }
  let index: RowGroupIndex;
  try {
    index = new RowGroupIndex(bytes);
  } catch (err) {
    throw new TracelakeError(`block ${key}: object index is corrupt: ${(err as Error).message}`, { cause: err });
  }
  cache.set(key, index, index.byteSize);
  return { index, bytesRead: bytes.length };
}
