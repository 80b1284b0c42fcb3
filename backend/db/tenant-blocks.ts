import { TracelakeError } from '../../pipeline/errors.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { META_NAME, blockObjectKey } from '../block/block-layout.ts';
import { COMPACTED_META_NAME, parseCompactedMeta, type CompactedBlockMeta } from '../block/compacted-meta.ts';
import { mapBounded } from '../block/map-bounded.ts';
import { parseBlockMeta } from '../block/read-block-metas.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { TENANT_INDEX_NAME } from './tenant-index.ts';
import { getIfPresent } from '../storage/get-if-present.ts';

/** A tenant's blocks: live ones (meta.json) and those marked compacted (meta.compacted.json). */
export interface TenantBlocks {
  readonly metas: readonly BlockMeta[];
  readonly compacted: readonly CompactedBlockMeta[];
}

/** What one recursive LIST of `<tenant>/` shows. */
export interface TenantListing {
  readonly tenant: string;
  /** Blocks with a meta.json and no compacted marker. */
  readonly live: readonly string[];
  /** Blocks with a meta.compacted.json (with or without meta.json: the marker wins). */
  readonly compacted: readonly string[];
  readonly hasIndex: boolean;
}

export interface ReadTenantBlocksOptions {
  /** Metas already known (a previous poll, an index); metas never change, so these blocks are not read again. */
  readonly known?: TenantBlocks;
  /** Meta reads in flight; default 16. */
  readonly concurrency?: number;
  /** Without it an unreadable meta fails the read; with it, that block is reported and left out. */
  readonly onInvalid?: (key: string, error: Error) => void;
}

/** Block IDs by marker from every key under `<tenant>/`: one paged LIST instead of a GET per block. */
export async function listTenantObjects(store: ObjectStore, tenant: string): Promise<TenantListing> {
  const live = new Set<string>();
  const compacted = new Set<string>();
  let hasIndex = false;
  for (const key of await store.list(`${tenant}/`)) {
    const parts = key.split('/');
    if (parts.length === 2 && parts[1] === TENANT_INDEX_NAME) hasIndex = true;
    if (parts.length !== 3) continue;
    if (parts[2] === META_NAME) live.add(parts[1]);
    else if (parts[2] === COMPACTED_META_NAME) compacted.add(parts[1]);
  }
  return { tenant, live: [...live].filter((id) => !compacted.has(id)), compacted: [...compacted], hasIndex };
}

/** The metas of a listing: known ones reused, the others read; blocks gone since the LIST are left out. */
export async function readTenantBlocks(store: ObjectStore, listing: TenantListing, options: ReadTenantBlocksOptions = {}): Promise<TenantBlocks> {
  const { tenant } = listing;
  const knownLive = new Map(options.known?.metas.map((m) => [m.blockID, m]));
  const knownCompacted = new Map(options.known?.compacted.map((m) => [m.blockID, m]));
  const unknown = [
    ...listing.live.filter((id) => !knownLive.has(id)).map((id) => ({ id, compacted: false })),
    ...listing.compacted.filter((id) => !knownCompacted.has(id)).map((id) => ({ id, compacted: true })),
  ];
  const read = await mapBounded(unknown, options.concurrency ?? 16, ({ id, compacted }) =>
    readEitherMeta(store, { tenant, blockID: id, compacted, onInvalid: options.onInvalid }));
  const metas: BlockMeta[] = listing.live.flatMap((id) => knownLive.get(id) ?? []);
  const compacted: CompactedBlockMeta[] = listing.compacted.flatMap((id) => knownCompacted.get(id) ?? []);
  for (const found of read) {
    if (found?.live !== undefined) metas.push(found.live);
    if (found?.compacted !== undefined) compacted.push(found.compacted);
  }
  return { metas, compacted };
}

interface MetaRead {
  readonly tenant: string;
  readonly blockID: string;
  /** Listed with a compacted marker: meta.json is not tried. */
  readonly compacted: boolean;
  readonly onInvalid?: (key: string, error: Error) => void;
}

/**
 * meta.json, or meta.compacted.json when the block was marked compacted after the LIST; undefined when
 * neither exists (deleted since, or a block caught between states) or the meta is invalid and reported.
 */
async function readEitherMeta(store: ObjectStore, read: MetaRead): Promise<{ live?: BlockMeta; compacted?: CompactedBlockMeta } | undefined> {
  const { tenant, blockID } = read;
  if (!read.compacted) {
    const key = blockObjectKey(tenant, blockID, META_NAME);
    const bytes = await getIfPresent(store, key);
    if (bytes !== undefined) return { live: parseOrReport(key, read, () => parseBlockMeta(bytes, tenant, blockID)) };
  }
  const key = blockObjectKey(tenant, blockID, COMPACTED_META_NAME);
  const bytes = await getIfPresent(store, key);
  if (bytes === undefined) return undefined;
  return { compacted: parseOrReport(key, read, () => parseCompactedMeta(bytes, tenant, blockID)) };
}

function parseOrReport<M>(key: string, read: MetaRead, parse: () => M): M | undefined {
  try {
    return parse();
  } catch (err) {
    const error = new TracelakeError(`${key}: ${(err as Error).message}`, { cause: err });
    if (read.onInvalid === undefined) throw error;
    read.onInvalid(key, error);
    return undefined;
  }
}
