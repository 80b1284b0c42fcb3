import { TracelakeError } from '../../pipeline/errors.ts';
import type { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';
import {
  BLOB_FIELD, VALUE_ARRAY, VALUE_BOOL, VALUE_BYTES, VALUE_DOUBLE, VALUE_EMPTY, VALUE_INT, VALUE_KVLIST, VALUE_NONE, VALUE_STRING,
} from './any-value-tags.ts';
import { ByteSink } from './byte-sink.ts';
import { putBytes } from './proto-out.ts';
import { ByteSource } from './byte-source.ts';
import { StringColumnBuilder, StringColumnReader } from './string-column.ts';
import { writeVarint64 } from './varint64.ts';

const SCALES = [1, 10, 100, 1000, 10000];
const RAW_DOUBLE = 0xff;
const MAX_SCALED = 2 ** 50;
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/**
 * The values of one attribute key in a row group, in span order: a type tag per occurrence, then one
 * section per type (ints, doubles, bools, blobs length-prefixed, strings last) so a search reads the tags
 * and the one section it compares. Doubles with few decimals (prices, ratios) are stored as scaled integers
 * when that gives back the exact same double; others as their 8 bytes.
 */
export class AttributeColumnBuilder {
  readonly #tags = new ByteSink(64);
  readonly #strings = new StringColumnBuilder();
  readonly #ints = new ByteSink(64);
  readonly #doubles = new ByteSink(16);
  readonly #bools = new ByteSink(16);
  readonly #blobs = new ByteSink(16);

  addTag(tag: number): void {
    this.#tags.byte(tag);
  }

  addString(src: Uint8Array, start: number, end: number): void {
    this.#tags.byte(VALUE_STRING);
    this.#strings.add(src, start, end);
  }

  addBool(value: boolean): void {
    this.#tags.byte(VALUE_BOOL);
    this.#bools.byte(value ? 1 : 0);
  }

  addInt(lo: number, hi: number): void {
    this.#tags.byte(VALUE_INT);
    this.#ints.z64(lo, hi);
  }

  /** The double whose 8 little-endian bytes are at `src[at]`. */
  addDouble(src: Uint8Array, at: number): void {
    this.#tags.byte(VALUE_DOUBLE);
    for (let i = 0; i < 8; i++) f64Bytes[i] = src[at + i];
    const v = f64[0];
    if (Number.isFinite(v) && !Object.is(v, -0)) {
      for (let s = 0; s < SCALES.length; s++) {
        const m = Math.round(v * SCALES[s]);
        if (Math.abs(m) <= MAX_SCALED && m / SCALES[s] === v) {
          this.#doubles.byte(s);
          this.#doubles.u(m >= 0 ? m * 2 : -m * 2 - 1);
          return;
        }
      }
    }
    this.#doubles.byte(RAW_DOUBLE);
    this.#doubles.rawRange(src, at, at + 8);
  }

  /** bytes_value, array_value or kvlist_value, kept as encoded. */
  addBlob(tag: number, src: Uint8Array, start: number, end: number): void {
    this.#tags.byte(tag);
    this.#blobs.bytesRange(src, start, end);
  }

  /** Upper bound of the bytes `writeTo` adds, strings aside. */
  get byteLength(): number {
    return this.#tags.length + this.#ints.length + this.#doubles.length + this.#bools.length + this.#blobs.length + 40;
  }

  /** Tags, ints, doubles, bools, blobs (each length-prefixed), then the strings up to the end. */
  writeTo(sink: ByteSink): void {
    sink.bytes(this.#tags.view());
    sink.bytes(this.#ints.view());
    sink.bytes(this.#doubles.view());
    sink.bytes(this.#bools.view());
    sink.bytes(this.#blobs.view());
    this.#strings.writeTo(sink);
  }
}

/** Reads an AttributeColumnBuilder's values in order. */
export class AttributeColumnReader {
  readonly #tags: ByteSource;
  readonly #strings: StringColumnReader;
  readonly #ints: ByteSource;
  readonly #doubles: ByteSource;
  readonly #bools: ByteSource;
  readonly #blobs: ByteSource;

  constructor(column: Uint8Array) {
    const src = new ByteSource(column);
    const section = () => {
      const start = src.skipBytes();
      return new ByteSource(src.buf, start, src.pos);
    };
    this.#tags = section();
    this.#ints = section();
    this.#doubles = section();
    this.#bools = section();
    this.#blobs = section();
    this.#strings = new StringColumnReader(new ByteSource(column, src.pos));
  }

  /** Writes the next value as KeyValue field 2 (nothing for VALUE_NONE). */
  writeNext(w: ProtoWriter): void {
    const tag = this.#tags.byte();
    if (tag === VALUE_NONE) return;
    const mark = w.beginMessage(2);
    switch (tag) {
      case VALUE_EMPTY: break;
      case VALUE_STRING: w.tag(1, 2); putBytes(w, this.#strings.next()); break;
      case VALUE_BOOL: w.tag(2, 0); w.varint(this.#bools.byte()); break;
      case VALUE_INT: this.#ints.z64(); w.tag(3, 0); writeVarint64(w, this.#ints.lo, this.#ints.hi); break;
      case VALUE_DOUBLE: w.tag(4, 1); this.#writeDouble(w); break;
      default: {
        const field = BLOB_FIELD[tag];
        if (field === undefined) throw new TracelakeError(`unknown attribute value tag ${tag}`);
        w.tag(field, 2);
        putBytes(w, this.#blobs.bytes());
      }
    }
    w.endMessage(mark);
  }

  skip(n: number): void {
    const tags = this.#tags.take(n);
    const counts = new Int32Array(16);
    for (let i = 0; i < n; i++) counts[tags[i] & 15]++;
    this.#strings.skip(counts[VALUE_STRING]);
    this.#bools.take(counts[VALUE_BOOL]);
    const ints = this.#ints;
    for (let i = counts[VALUE_INT]; i > 0; i--) ints.skipVarint();
    const doubles = this.#doubles;
    for (let i = counts[VALUE_DOUBLE]; i > 0; i--) {
      if (doubles.byte() === RAW_DOUBLE) doubles.take(8);
      else doubles.skipVarint();
    }
    const blobs = this.#blobs;
    for (let i = counts[VALUE_BYTES] + counts[VALUE_ARRAY] + counts[VALUE_KVLIST]; i > 0; i--) blobs.skipBytes();
  }

  #writeDouble(w: ProtoWriter): void {
    const s = this.#doubles.byte();
    if (s === RAW_DOUBLE) {
      w.raw(this.#doubles.take(8));
      return;
    }
    const z = this.#doubles.u();
    const scale = SCALES[s];
    if (scale === undefined) throw new TracelakeError(`unknown double scale ${s}`);
    w.double((z % 2 === 0 ? z / 2 : -(z + 1) / 2) / scale);
  }
}
