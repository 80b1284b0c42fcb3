import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';

/** A meta.json as writeBlock would make it, without writing a block. */
export function fakeMeta(tenantID: string, blockID: string, overrides: Partial<BlockMeta> = {}): BlockMeta {
  return {
    format: 'tl1', blockID, tenantID, startTime: '2024-01-01T00:00:00.000Z', endTime: '2024-01-01T00:05:00.000Z',
    totalObjects: 1, totalSpans: 1, size: 1, dataEncoding: 'zstd', bloomShards: 1,
    minID: '0'.repeat(32), maxID: 'f'.repeat(32), compactionLevel: 0, ...overrides,
  };
}

/** Writes only meta.json: enough for listing and polling, which never open data objects. */
export async function putMeta(store: ObjectStore, meta: BlockMeta): Promise<void> {
  await store.put(`${meta.tenantID}/${meta.blockID}/meta.json`, new TextEncoder().encode(JSON.stringify(meta)));
}

/** Wraps a store, counting calls per method and recording the prefixes listed. */
export class CountingStore implements ObjectStore {
  readonly inner: ObjectStore;
  readonly counts = { put: 0, get: 0, getRange: 0, list: 0, listDirs: 0, delete: 0 };
  readonly listed: string[] = [];
  readonly gets: string[] = [];

  constructor(inner: ObjectStore) {
    this.inner = inner;
  }

  reset(): void {
    for (const k of Object.keys(this.counts) as (keyof CountingStore['counts'])[]) this.counts[k] = 0;
    this.listed.length = 0;
    this.gets.length = 0;
  }

  put(key: string, data: Uint8Array) {
    this.counts.put++;
    return this.inner.put(key, data);
  }
  get(key: string) {
    this.counts.get++;
    this.gets.push(key);
    return this.inner.get(key);
  }
  getRange(key: string, offset: number, length: number) {
    this.counts.getRange++;
    return this.inner.getRange(key, offset, length);
  }
  list(prefix: string) {
    this.counts.list++;
    this.listed.push(`list ${prefix}`);
    return this.inner.list(prefix);
  }
  listDirs(prefix: string) {
    this.counts.listDirs++;
    this.listed.push(`listDirs ${prefix}`);
    return this.inner.listDirs(prefix);
  }
  delete(key: string) {
    this.counts.delete++;
    return this.inner.delete(key);
  }
}
