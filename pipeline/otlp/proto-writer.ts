import { WIRE_LEN } from './proto-reader.ts';

const TWO_32 = 4294967296;

/** Bytes a varint encoding of the non-negative integer n takes. */
export function varintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let size = 4;
  for (let v = Math.floor(n / 0x10000000); v > 0; v = Math.floor(v / 128)) size++;
  return size;
}

/**
 * Protobuf wire writer over a growing Buffer. Nested messages use reserve-and-patch (`beginMessage` /
 * `endMessage`): one byte is reserved for the length and the body is shifted only when it turns out to be
 * 128 bytes or longer, so callers need not size anything first.
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  /** The bytes written so far (a view; the writer must not be used afterwards). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
    }
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A non-negative integer up to 2^53 as a varint (uint32, uint64, enum, bool, lengths). */
  varint(n: number): void {
    this.ensure(10);
    this.pos = putVarint(this.buf, this.pos, n);
  }

  /** A signed or unsigned 64-bit integer as a varint; negatives take 10 bytes (two's complement). */
  int64(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      this.varint(v);
      return;
    }
    let u = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(n >>> 0, this.pos);
    this.pos += 4;
  }

  /** A fixed64 from a bigint, or from a number holding an integer (e.g. nanoseconds as a double). */
  fixed64(v: number | bigint): void {
    this.ensure(8);
    if (typeof v === 'bigint') {
      this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.pos);
    } else {
      if (!(v >= 0 && v < 18446744073709551616)) throw new RangeError(`fixed64 out of range: ${v}`);
      this.buf.writeUInt32LE(v >>> 0, this.pos);
      this.buf.writeUInt32LE(Math.floor(v / TWO_32) >>> 0, this.pos + 4);
    }
    this.pos += 8;
  }

  double(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  /** Length prefix + bytes. */
  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.raw(b);
  }

  /** Bytes as they are, e.g. an already encoded field or message body. */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Length prefix + UTF-8. */
  string(s: string): void {
    const n = s.length;
    // Up to 42 UTF-16 units encode to at most 126 bytes, so the length fits one byte: encode in place.
    if (n <= 42) {
      this.ensure(1 + n * 3);
      const buf = this.buf;
      const start = this.pos + 1;
      let p = start;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          p = start + buf.write(s, start);
          break;
        }
        buf[p++] = c;
      }
      buf[this.pos] = p - start;
      this.pos = p;
      return;
    }
    const len = Buffer.byteLength(s);
    this.varint(len);
    this.ensure(len);
    this.buf.write(s, this.pos);
    this.pos += len;
  }

  /** Writes the tag of a nested message and reserves its length; pass the result to `endMessage`. */
  beginMessage(field: number): number {
    this.tag(field, WIRE_LEN);
    this.ensure(1);
    return this.pos++;
  }

  endMessage(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 0x80) {
      this.buf[mark] = len;
      return;
    }
    const n = varintSize(len);
    this.ensure(n - 1);
    this.buf.copyWithin(mark + n, mark + 1, this.pos);
    this.pos += n - 1;
    const end = this.pos;
    this.pos = mark;
    this.varint(len);
    this.pos = end;
  }
}

/** Writes `n` (a non-negative integer up to 2^53) as a varint at `buf[pos]`; returns the offset after it. */
export function putVarint(buf: Uint8Array, pos: number, n: number): number {
  while (n > 0x7f) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = n > 0xffffffff ? Math.floor(n / 128) : n >>> 7;
  }
  buf[pos++] = n;
  return pos;
}
