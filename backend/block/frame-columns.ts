import { decodeFrame } from './row-group-data.ts';
import type { ColumnRef, RowGroupRef } from './row-group-index.ts';
import type { RowGroupColumns } from './row-group-reader.ts';

/**
 * A row group's columns by name over the stored frames fetched so far (RowGroupFrames), each frame
 * decompressed when one of its columns is first read: a search touching a few columns of a group skips the
 * zstd work for the rest. Columns of frames not fetched are absent. A damaged frame throws when read.
 */
export class FrameColumns implements RowGroupColumns {
  readonly #group: RowGroupRef;
  readonly #byName = new Map<string, ColumnRef>();
  readonly #packed: (Uint8Array | undefined)[];
  readonly #plain: (Uint8Array | undefined)[];

  constructor(group: RowGroupRef) {
    this.#group = group;
    this.#packed = new Array(group.frames.length);
    this.#plain = new Array(group.frames.length);
  }

  hasFrame(frame: number): boolean {
    return this.#packed[frame] !== undefined;
  }

  /** The stored bytes of a fetched frame: its columns are present from now on. */
  addFrame(frame: number, packed: Uint8Array): void {
    this.#packed[frame] = packed;
    for (const c of this.#group.columns) if (c.frame === frame) this.#byName.set(c.name, c);
  }

  get(name: string): Uint8Array | undefined {
    const c = this.#byName.get(name);
    if (c === undefined) return undefined;
    const plain = (this.#plain[c.frame] ??= decodeFrame(this.#packed[c.frame]!, this.#group.frames[c.frame], this.#group));
    return plain.subarray(c.offset, c.offset + c.length);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  get size(): number {
    return this.#byName.size;
  }

  forEach(visit: (value: Uint8Array, key: string, map: RowGroupColumns) => void, thisArg?: unknown): void {
    for (const [name, bytes] of this.entries()) visit.call(thisArg, bytes, name, this);
  }

  *entries(): MapIterator<[string, Uint8Array]> {
    for (const name of this.#byName.keys()) yield [name, this.get(name)!];
  }

  keys(): MapIterator<string> {
    return this.#byName.keys();
  }

  *values(): MapIterator<Uint8Array> {
    for (const [, bytes] of this.entries()) yield bytes;
  }

  [Symbol.iterator](): MapIterator<[string, Uint8Array]> {
    return this.entries();
  }
}
