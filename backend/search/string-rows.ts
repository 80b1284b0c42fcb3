import { TracelakeError } from '../../pipeline/errors.ts';
import { ByteSource } from '../block/byte-source.ts';
import { readDict } from '../block/bytes-dict.ts';

/** Decodes like the OTLP reader (Buffer's UTF-8, invalid bytes replaced), so strings compare as the engine's. */
export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** String column modes (backend/block/string-column.ts). */
const DICT = 0;
const PLAIN = 1;

/**
 * Random access to the values of a string column (backend/block/string-column.ts): row i's bytes, or its
 * text decoded once per distinct value of a dictionary column. Reads the ids itself rather than through
 * StringColumnReader, which hands out entries, not ids.
 */
export class StringRows {
  readonly #values: Uint8Array[];
  readonly #ids: Int32Array | undefined;
  readonly #texts: (string | undefined)[];

  constructor(column: Uint8Array, count: number) {
    const src = new ByteSource(column);
    const mode = src.byte();
    if (mode === PLAIN) {
      this.#values = Array.from({ length: count }, () => src.bytes());
    } else if (mode === DICT) {
      this.#values = readDict(src);
      this.#ids = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const id = src.u();
        if (id >= this.#values.length) throw new TracelakeError('string column id out of range');
        this.#ids[i] = id;
      }
    } else throw new TracelakeError(`unknown string column mode ${mode}`);
    this.#texts = new Array(this.#values.length);
  }

  /** Distinct values: dictionary entries, or every row of a plain column. */
  get distinct(): number {
    return this.#values.length;
  }

  /** Row i's value as an index below `distinct`: equal values of a dictionary column share it. */
  id(i: number): number {
    return this.#ids === undefined ? i : this.#ids[i];
  }

  bytes(i: number): Uint8Array {
    return this.#values[this.#ids === undefined ? i : this.#ids[i]];
  }

  text(i: number): string {
    const at = this.#ids === undefined ? i : this.#ids[i];
    return (this.#texts[at] ??= utf8(this.#values[at]));
  }
}
