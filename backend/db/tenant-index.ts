import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { TracelakeError } from '../../pipeline/errors.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { parseCompactedMeta, type CompactedBlockMeta } from '../block/compacted-meta.ts';
import { parseBlockMeta } from '../block/read-block-metas.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { getIfPresent } from '../storage/get-if-present.ts';

/** `<tenant>/index.json.gz`, beside the tenant's block folders. */
export const TENANT_INDEX_NAME = 'index.json.gz';
/** A larger inflated index is refused rather than read into memory (~2.5 M block metas). */
const MAX_INDEX_JSON_BYTES = 1 << 30;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A tenant's live and compacted block metas as of `createdAt`, so readers need no LIST of the bucket. */
export interface TenantIndex {
  /** Unix ms; the bucket as listed at this time or later. */
  readonly createdAt: number;
  readonly metas: readonly BlockMeta[];
  readonly compacted: readonly CompactedBlockMeta[];
}

export interface TenantIndexContent {
  readonly metas: readonly BlockMeta[];
  readonly compacted: readonly CompactedBlockMeta[];
  /** Unix ms; default now. */
  readonly createdAt?: number;
}

export function tenantIndexKey(tenant: string): string {
  return `${tenant}/${TENANT_INDEX_NAME}`;
}

/** Gzip JSON with Tempo's field names: {"created_at": RFC 3339, "meta": [...], "compacted": [...]}. */
export async function writeTenantIndex(store: ObjectStore, tenant: string, content: TenantIndexContent): Promise<TenantIndex> {
  const index: TenantIndex = { createdAt: content.createdAt ?? Date.now(), metas: content.metas, compacted: content.compacted };
  const json = { created_at: new Date(index.createdAt).toISOString(), meta: index.metas, compacted: index.compacted };
  await store.put(tenantIndexKey(tenant), await gzipAsync(JSON.stringify(json)));
  return index;
}

/** The tenant's index, or undefined when there is none; TracelakeError naming the key when it is corrupt. */
export async function readTenantIndex(store: ObjectStore, tenant: string): Promise<TenantIndex | undefined> {
  const key = tenantIndexKey(tenant);
  const bytes = await getIfPresent(store, key);
  if (bytes === undefined) return undefined;
  try {
    return decodeTenantIndex(await inflate(bytes), tenant);
  } catch (err) {
    throw new TracelakeError(`tenant index ${key} is corrupt: ${(err as Error).message}`, { cause: err });
  }
}

async function inflate(bytes: Uint8Array): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: MAX_INDEX_JSON_BYTES });
  } catch (err) {
    throw new TracelakeError(`not gzip: ${(err as Error).message}`, { cause: err });
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function decodeTenantIndex(json: Buffer, tenant: string): TenantIndex {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch (err) {
    throw new TracelakeError(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TracelakeError('not a JSON object');
  const { created_at: createdAt, meta, compacted } = value as Record<string, unknown>;
  if (typeof createdAt !== 'string' || !RFC3339.test(createdAt)) throw new TracelakeError('created_at is not an RFC 3339 time');
  return {
    createdAt: Date.parse(createdAt),
    metas: entries(meta, 'meta', (bytes, blockID) => parseBlockMeta(bytes, tenant, blockID)),
    compacted: entries(compacted, 'compacted', (bytes, blockID) => parseCompactedMeta(bytes, tenant, blockID)),
  };
}

/**
 * Each entry through the same check as a meta.json of the tenant's own folder, so an index never lists a
 * block of another tenant. Go writes an empty list as null.
 */
function entries<M>(list: unknown, field: string, parse: (bytes: Uint8Array, blockID: string) => M): M[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new TracelakeError(`${field} is not a list`);
  const encoder = new TextEncoder();
  return list.map((entry: unknown, i) => {
    const blockID = (entry as { blockID?: unknown } | null)?.blockID;
    try {
      if (typeof blockID !== 'string') throw new TracelakeError('field blockID is not a string');
      return parse(encoder.encode(JSON.stringify(entry)), blockID);
    } catch (err) {
      throw new TracelakeError(`${field}[${i}]: ${(err as Error).message}`, { cause: err });
    }
  });
}
