/** The byte-level object store: keys and bytes, nothing about blocks. Keys use `/` as separator. */
export interface ObjectStore {
  /** Writes the whole object; readers never see a partial object. */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The whole object; NotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;
  /** `length` bytes from `offset`; NotFoundError when absent. */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Every key under `prefix` (recursive), in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Names of the "folders" directly under `prefix` (S3 delimiter `/`). */
  listDirs(prefix: string): Promise<string[]>;
  /** Removes the object; absent objects are not an error. */
  delete(key: string): Promise<void>;
}
