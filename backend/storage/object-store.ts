/**
 * The byte-level object store: keys and bytes, nothing about blocks. Keys use `/` as separator; a key is
 * one or more non-empty segments, never `.`/`..`, never absolute, no backslashes (PermanentError otherwise).
 */
export interface ObjectStore {
  /** Writes the whole object; readers never see a partial object. */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The whole object; NotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;
  /**
   * Exactly `length` bytes from `offset`; NotFoundError when absent, PermanentError when the object is
   * shorter than `offset + length` (a truncated object is never returned as a short read).
   */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Every key starting with `prefix` (a plain string prefix, as in S3), recursive, in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Names of the "folders" directly under `prefix` (S3 delimiter `/`); `''` is the root, a trailing `/` optional. */
  listDirs(prefix: string): Promise<string[]>;
  /** Removes the object; absent objects are not an error. */
  delete(key: string): Promise<void>;
}
