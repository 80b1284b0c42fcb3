import { listTenants, readBlockMetas, type ReadBlockMetasOptions } from '../block/read-block-metas.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { BlockList } from './block-list.ts';

/** Scans every tenant for complete blocks (those with a meta.json) at start-up. */
export async function loadBlockList(store: ObjectStore, options: ReadBlockMetasOptions = {}): Promise<BlockList> {
  const list = new BlockList();
  for (const tenant of await listTenants(store)) {
    list.replace(tenant, await readBlockMetas(store, tenant, options));
  }
  return list;
}
