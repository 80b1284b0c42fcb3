import { TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { META_NAME } from './block-layout.ts';
import { readTenantMetaObjects, type ReadBlockMetasOptions } from './read-meta-object.ts';

export type { ReadBlockMetasOptions };

/** Tenants with at least one folder in the store. */
export async function listTenants(store: ObjectStore): Promise<string[]> {
  return store.listDirs('');
}

/** Metas of the tenant's complete blocks; folders without meta.json (blocks being written) are skipped. */
export function readBlockMetas(store: ObjectStore, tenantID: string, options: ReadBlockMetasOptions = {}): Promise<BlockMeta[]> {
  return readTenantMetaObjects(store, tenantID, META_NAME, parseBlockMeta, options);
}

const STRING_FIELDS = ['format', 'blockID', 'tenantID', 'startTime', 'endTime', 'dataEncoding', 'minID', 'maxID'] as const;
const NUMBER_FIELDS = ['totalObjects', 'totalSpans', 'size', 'bloomShards', 'compactionLevel'] as const;

/** Checks the shape of a meta.json and that it belongs where it was found. */
export function parseBlockMeta(bytes: Uint8Array, tenantID: string, blockID: string): BlockMeta {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new TracelakeError(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof json !== 'object' || json === null) throw new TracelakeError('not a JSON object');
  const meta = json as Record<string, unknown>;
  for (const f of STRING_FIELDS) if (typeof meta[f] !== 'string') throw new TracelakeError(`field ${f} is not a string`);
  for (const f of NUMBER_FIELDS) {
    if (!Number.isSafeInteger(meta[f]) || (meta[f] as number) < 0) throw new TracelakeError(`field ${f} is not a count`);
  }
  for (const f of ['startTime', 'endTime']) {
    if (Number.isNaN(Date.parse(meta[f] as string))) throw new TracelakeError(`field ${f} is not a time`);
  }
  for (const f of ['minID', 'maxID']) {
    if (!/^[0-9a-f]{32}$/.test(meta[f] as string)) throw new TracelakeError(`field ${f} is not a 32-digit hex trace ID`);
  }
  if (meta.tenantID !== tenantID || meta.blockID !== blockID) {
    throw new TracelakeError(`names block ${String(meta.tenantID)}/${String(meta.blockID)}`);
  }
  return json as BlockMeta;
}
