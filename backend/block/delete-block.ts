import type { ObjectStore } from '../storage/object-store.ts';
import { META_NAME, blockObjectKey } from './block-layout.ts';
import { COMPACTED_META_NAME } from './compacted-meta.ts';
import { mapBounded } from './map-bounded.ts';

/**
 * Removes every object of a block; meta.json and meta.compacted.json go last, so a deletion cut short
 * leaves a block that is still recognisably compacted (or live) and is finished by the next pass instead
 * of data nobody knows about. Returns the number of objects removed.
 */
export async function deleteBlock(store: ObjectStore, tenantID: string, blockID: string): Promise<number> {
  const prefix = blockObjectKey(tenantID, blockID, ''); // `<tenant>/<blockID>/`
  const keys = await store.list(prefix);
  const metas = new Set([`${prefix}${META_NAME}`, `${prefix}${COMPACTED_META_NAME}`]);
  await mapBounded(keys.filter((k) => !metas.has(k)), 16, (k) => store.delete(k));
  for (const k of [`${prefix}${META_NAME}`, `${prefix}${COMPACTED_META_NAME}`]) {
    if (keys.includes(k)) await store.delete(k);
  }
  return keys.length;
}
