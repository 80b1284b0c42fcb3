import { NotFoundError } from '../../pipeline/errors.ts';
import type { ObjectStore } from './object-store.ts';

/** The object's bytes, or undefined when it does not exist; other failures are thrown. */
export async function getIfPresent(store: ObjectStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}
