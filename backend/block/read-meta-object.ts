import { TracelakeError } from '../../pipeline/errors.ts';
import { getIfPresent } from '../storage/get-if-present.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { blockObjectKey } from './block-layout.ts';
import { mapBounded } from './map-bounded.ts';

/** A meta object that exists but does not parse, or names another tenant or block. */
export class InvalidMetaError extends TracelakeError {
  override readonly code = 'INVALID_META';
}

/** Checks the bytes of a block's meta object and that it belongs to (tenant, block). */
export type MetaParser<T> = (bytes: Uint8Array, tenantID: string, blockID: string) => T;

export interface ReadBlockMetasOptions {
  /** Without it an unreadable meta object fails the whole read; with it, that block is reported and left out. */
  readonly onInvalid?: (key: string, error: Error) => void;
  /** Reads in flight; default 16. */
  readonly concurrency?: number;
}

/** The block's `name` object (meta.json, meta.compacted.json) parsed, or undefined when absent. */
export async function readMetaObject<T>(
  store: ObjectStore, at: { tenantID: string; blockID: string; name: string }, parse: MetaParser<T>,
): Promise<T | undefined> {
  const key = blockObjectKey(at.tenantID, at.blockID, at.name);
  const bytes = await getIfPresent(store, key);
  if (bytes === undefined) return undefined;
  try {
    return parse(bytes, at.tenantID, at.blockID);
  } catch (err) {
    throw new InvalidMetaError(`${key}: ${(err as Error).message}`, { cause: err });
  }
}

/** The `name` object of every block folder of the tenant that has one. */
export async function readTenantMetaObjects<T>(
  store: ObjectStore, tenantID: string, name: string, parse: MetaParser<T>, options: ReadBlockMetasOptions = {},
): Promise<T[]> {
  const blockIDs = await store.listDirs(`${tenantID}/`);
  const metas = await mapBounded(blockIDs, options.concurrency ?? 16, async (blockID) => {
    try {
      return await readMetaObject(store, { tenantID, blockID, name }, parse);
    } catch (err) {
      if (options.onInvalid === undefined || !(err instanceof InvalidMetaError)) throw err;
      options.onInvalid(blockObjectKey(tenantID, blockID, name), err);
      return undefined;
    }
  });
  return metas.filter((m): m is Awaited<T> => m !== undefined);
}
