import { TracelakeError } from '../../pipeline/errors.ts';
import { ByteSink } from './byte-sink.ts';
import { ByteSource } from './byte-source.ts';
import { BytesDict, readDict } from './bytes-dict.ts';

const DICT = 0;
const PLAIN = 1;
/** Values seen before deciding that a column of mostly distinct values (URLs, addresses) goes plain. */
const PROBE_VALUES = 512;

/**
 * Strings (or any byte strings) of one column. Written as a dictionary + ids when values repeat, as plain
 * length-prefixed values when most are distinct (ids would only add bytes); zstd takes care of the rest.
 * A search can test the dictionary before it reads a single id.
 */
export class StringColumnBuilder {
  readonly #dict = new BytesDict();
  #ids = new Int32Array(256);
  #count = 0;
  /** Set once the first values turned out mostly distinct: values go straight here, no dictionary lookups. */
  #plain: ByteSink | undefined;

  add(src: Uint8Array, start: number, end: number): void {
    if (this.#plain === undefined && this.#count === PROBE_VALUES && this.#dict.count * 4 > PROBE_VALUES * 3) this.#goPlain();
    if (this.#plain !== undefined) {
      this.#plain.bytesRange(src, start, end);
      this.#count++;
      return;
    }
    if (this.#count === this.#ids.length) {
      const grown = new Int32Array(this.#ids.length * 2);
      grown.set(this.#ids);
      this.#ids = grown;
    }
    // Runs of one value are common (a method, a host): checking the previous id first skips the hashing.
    const last = this.#count > 0 ? this.#ids[this.#count - 1] : -1;
    this.#ids[this.#count++] = last >= 0 && this.#dict.is(last, src, start, end) ? last : this.#dict.id(src, start, end);
  }

  #goPlain(): void {
    const plain = new ByteSink(64 * 1024);
    for (let i = 0; i < this.#count; i++) plain.bytes(this.#dict.entry(this.#ids[i]));
    this.#plain = plain;
  }

  writeTo(sink: ByteSink): void {
    if (this.#plain !== undefined) {
      sink.byte(PLAIN);
      sink.raw(this.#plain.view());
      return;
    }
    const ids = this.#ids;
    const n = this.#count;
    if (this.#dict.count * 2 > n) {
      sink.byte(PLAIN);
      for (let i = 0; i < n; i++) sink.bytes(this.#dict.entry(ids[i]));
      return;
    }
    sink.byte(DICT);
    this.#dict.writeTo(sink);
    for (let i = 0; i < n; i++) sink.u(ids[i]);
  }
}

/** Reads a StringColumnBuilder's values in order, as views into the column. */
export class StringColumnReader {
  readonly #src: ByteSource;
  readonly #dict: Uint8Array[] | undefined;

  constructor(src: ByteSource) {
    this.#src = src;
    const mode = src.byte();
    if (mode === DICT) this.#dict = readDict(src);
    else if (mode !== PLAIN) throw new TracelakeError(`unknown string column mode ${mode}`);
  }

  /** The dictionary (distinct values), when the column has one. */
  get dictionary(): readonly Uint8Array[] | undefined {
    return this.#dict;
  }

  next(): Uint8Array {
    if (this.#dict === undefined) return this.#src.bytes();
    const v = this.#dict[this.#src.u()];
    if (v === undefined) throw new TracelakeError('string column id out of range');
    return v;
  }

  skip(n: number): void {
    const src = this.#src;
    if (this.#dict === undefined) for (let i = 0; i < n; i++) src.skipBytes();
    else for (let i = 0; i < n; i++) src.skipVarint();
  }
}
