import { META_NAME, blockObjectKey } from '../block/block-layout.ts';
import { COMPACTED_META_NAME } from '../block/compacted-meta.ts';
import { mapBounded } from '../block/map-bounded.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface CollectOrphansOptions {
  readonly store: ObjectStore;
  readonly tenant: string;
  /** Block IDs with a meta.json or meta.compacted.json according to the block lists. */
  readonly known: ReadonlySet<string>;
  readonly graceMs: number;
  readonly nowMs: number;
}

/**
 * Removes block folders that have had neither meta.json nor meta.compacted.json for the grace period: blocks
 * whose writer died before publishing them. The object store keeps no modification times, so the age is
 * counted from when this collector first saw the folder unpublished (kept in memory): a restart only
 * delays collection, it never makes it early. A folder whose listing shows a meta file is never touched,
 * and publishing later simply takes the folder off the watch list.
 */
export class OrphanCollector {
  /** `<tenant>/<blockID>` → unix ms when first seen without a meta. */
  readonly #firstSeen = new Map<string, number>();

  /** Block IDs of the tenant whose objects were deleted. */
  async collect(options: CollectOrphansOptions): Promise<string[]> {
    const { store, tenant, nowMs } = options;
    const unknown = new Set((await store.listDirs(`${tenant}/`)).filter((id) => !options.known.has(id)));
    this.#forgetOthers(tenant, unknown);
    const deleted: string[] = [];
    for (const blockID of unknown) {
      const key = `${tenant}/${blockID}`;
      const seen = this.#firstSeen.get(key);
      if (seen === undefined) this.#firstSeen.set(key, nowMs);
      else if (nowMs - seen >= options.graceMs && (await deleteUnpublished(store, tenant, blockID))) {
        this.#firstSeen.delete(key);
        deleted.push(blockID);
      }
    }
    return deleted;
  }

  /** Folders of the tenant that got published or disappeared since the last pass. */
  #forgetOthers(tenant: string, unknown: ReadonlySet<string>): void {
    const prefix = `${tenant}/`;
    for (const key of this.#firstSeen.keys()) {
      if (key.startsWith(prefix) && !unknown.has(key.slice(prefix.length))) this.#firstSeen.delete(key);
    }
  }
}

/** Deletes the folder's objects unless a meta file has appeared in it; true when deleted. */
async function deleteUnpublished(store: ObjectStore, tenant: string, blockID: string): Promise<boolean> {
  const prefix = blockObjectKey(tenant, blockID, '');
  const keys = await store.list(prefix);
  if (keys.some((k) => k === prefix + META_NAME || k === prefix + COMPACTED_META_NAME)) return false;
  await mapBounded(keys, 16, (k) => store.delete(k));
  return true;
}
