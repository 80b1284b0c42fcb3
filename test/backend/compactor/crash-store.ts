import type { ObjectStore } from '../../../backend/storage/object-store.ts';

/** A store that fails (as a crash would stop a compactor) on the first call `crashOn` picks, then behaves. */
export class CrashStore implements ObjectStore {
  readonly inner: ObjectStore;
  readonly crashOn: (op: 'put' | 'delete', key: string) => boolean;
  crashed = false;

  constructor(inner: ObjectStore, crashOn: (op: 'put' | 'delete', key: string) => boolean) {
    this.inner = inner;
    this.crashOn = crashOn;
  }

  #check(op: 'put' | 'delete', key: string): void {
    if (this.crashed || !this.crashOn(op, key)) return;
    this.crashed = true;
    throw new Error(`simulated crash before ${op} ${key}`);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    this.#check('put', key);
    await this.inner.put(key, data);
  }

  async delete(key: string): Promise<void> {
    this.#check('delete', key);
    await this.inner.delete(key);
  }

  get(key: string) {
    return this.inner.get(key);
  }

  getRange(key: string, offset: number, length: number) {
    return this.inner.getRange(key, offset, length);
  }

  list(prefix: string) {
    return this.inner.list(prefix);
  }

  listDirs(prefix: string) {
    return this.inner.listDirs(prefix);
  }
}
