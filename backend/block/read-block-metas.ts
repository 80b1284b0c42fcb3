import { NotFoundError, TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { META_NAME, blockObjectKey } from './block-layout.ts';
import { mapBounded } from './map-bounded.ts';

export interface ReadBlockMetasOptions {
  /** Without it an unreadable meta.json fails the whole read; with it, that block is reported and left out. */
  readonly onInvalid?: (key: string, error: Error) => void;
  /** meta.json reads in flight; default 16. */
  readonly concurrency?: number;
}

/** Tenants with at least one folder in the store. */
export async function listTenants(store: ObjectStore): Promise<string[]> {
  return store.listDirs('');
}

/** Metas of the tenant's complete blocks; folders without meta.json (blocks being written) are skipped. */
export async function readBlockMetas(store: ObjectStore, tenantID: string, options: ReadBlockMetasOptions = {}): Promise<BlockMeta[]> {
  const blockIDs = await store.listDirs(`${tenantID}/`);
  const metas = await mapBounded(blockIDs, options.concurrency ?? 16, async (blockID) => {
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
      const error = new TracelakeError(`${key}: ${(err as Error).message}`, { cause: err });
      if (options.onInvalid === undefined) throw error;
      options.onInvalid(key, error);
      return undefined;
    }
  });
  return metas.filter((m): m is BlockMeta => m !== undefined);
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
