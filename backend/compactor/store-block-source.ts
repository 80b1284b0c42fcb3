import type { Logger } from 'pino';
import type { BlockMeta } from '../block/block-meta.ts';
import { readCompactedMetas, type CompactedBlockMeta } from '../block/compacted-meta.ts';
import { listTenants, readBlockMetas } from '../block/read-block-metas.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface BlockSource {
  listTenants(): Promise<string[]>;
  listBlocks(tenant: string): Promise<BlockMeta[]>;
  listCompacted(tenant: string): Promise<CompactedBlockMeta[]>;
}

/**
 * Block lists read straight from the bucket (LIST, then one GET per block folder): right for a local folder
 * or a single compactor without a tenant index. Unreadable metas are logged and left out (never treated
 * as missing blocks: the orphan collector checks the folder itself before deleting anything).
 */
export function storeBlockSource(store: ObjectStore, logger?: Logger): BlockSource {
  const onInvalid = (key: string, err: Error) => logger?.warn({ key, err }, 'unreadable block meta skipped');
  return {
    listTenants: () => listTenants(store),
    listBlocks: (tenant) => readBlockMetas(store, tenant, { onInvalid }),
    listCompacted: (tenant) => readCompactedMetas(store, tenant, { onInvalid }),
  };
}
