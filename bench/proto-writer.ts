/**
 * A growable protobuf writer for benchmark corpora: encodes straight into one buffer, so millions of spans
 * are built in seconds (no objects per field, no intermediate JSON).
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

export class ProtoWriter {
  #buf = Buffer.allocUnsafe(1 << 16);
  #pos = 0;

  get length(): number {
    return this.#pos;
  }

  reset(): this {
    this.#pos = 0;
    return this;
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  /** A non-negative integer below 2^53. */
  varint(v: number): this {
    this.#ensure(10);
    while (v >= 0x80) {
      this.#buf[this.#pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[this.#pos++] = v;
    return this;
  }

  uint(field: number, v: number): this {
    return this.varint(field * 8 + WIRE_VARINT).varint(v);
  }

  fixed64(field: number, v: bigint): this {
    this.#buf.writeBigUInt64LE(v, this.#word64(field));
    return this;
  }

  double(field: number, v: number): this {
    this.#buf.writeDoubleLE(v, this.#word64(field));
    return this;
  }

  /** Writes the tag of a 64-bit field and reserves its 8 bytes; answers where they start. */
  #word64(field: number): number {
    this.varint(field * 8 + WIRE_FIXED64);
    this.#ensure(8);
    this.#pos += 8;
    return this.#pos - 8;
  }

  bytes(field: number, b: Uint8Array): this {
    this.varint(field * 8 + WIRE_LEN).varint(b.length);
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
    return this;
  }

  string(field: number, s: string): this {
    const n = Buffer.byteLength(s);
    this.varint(field * 8 + WIRE_LEN).varint(n);
    this.#ensure(n);
    this.#buf.write(s, this.#pos, 'utf8');
    this.#pos += n;
    return this;
  }

  /** Already-encoded bytes, as they are (e.g. a prebuilt field). */
  raw(b: Uint8Array): this {
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
    return this;
  }

  /** Another writer's content as a length-delimited field. */
  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.view());
  }

  /** The bytes so far, without copying (valid until the next write or reset). */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** A copy of the bytes so far. */
  toBytes(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.#buf, 0, this.#pos);
  }
}

/** Encoded AnyValue of a string / int / double / bool. */
export function anyValueBytes(v: string | number | boolean, asDouble = false): Uint8Array {
  const w = new ProtoWriter();
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') w.uint(2, v ? 1 : 0);
  else if (asDouble || !Number.isInteger(v)) w.double(4, v);
  else if (v >= 0) w.uint(3, v);
  else throw new RangeError('negative ints are not needed by the bench corpora');
  return w.toBytes();
}

/** An encoded KeyValue field (the field tag and length included), ready for `raw()`. */
export function keyValueField(field: number, key: string, v: string | number | boolean, asDouble = false): Uint8Array {
  const kv = new ProtoWriter().string(1, key).bytes(2, anyValueBytes(v, asDouble));
  return new ProtoWriter().message(field, kv).toBytes();
}
