import { PayloadError } from './payload-error.ts';

/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];
/** Groups are obsolete; the limit only keeps hostile input from exhausting the stack. */
const MAX_GROUP_DEPTH = 100;
const TWO_32 = 4294967296;

export function wireTypeName(wireType: number): string {
  return WIRE_NAMES[wireType] ?? `invalid(${wireType})`;
}

/**
 * Protobuf wire reader over a byte view. Every read is checked against `limit` (the end of the message
 * being read), so a truncated or lying payload throws a PayloadError instead of reading a sibling's bytes.
 * `bytes()` returns views, never copies.
 */
export class ProtoReader {
  readonly buf: Uint8Array;
  pos: number;
  /** End of the message being read; `enter` narrows it for a nested message. */
  limit: number;
  /** Field number of the last tag read: error messages name it. */
  field = 0;
  /** `buf` as a Buffer, made on first use: Buffer#toString decodes short strings ~3x faster than TextDecoder. */
  private asBuffer: Buffer | undefined;

  constructor(buf: Uint8Array, pos = 0, limit = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
  }

  done(): boolean {
    return this.pos >= this.limit;
  }

  /** Narrows reading to [pos, end); returns the outer limit for `leave`. */
  enter(end: number): number {
    const outer = this.limit;
    this.limit = end;
    return outer;
  }

  leave(outer: number): void {
    this.limit = outer;
  }

  /** Reads a tag: `field << 3 | wireType`. */
  tag(): number {
    const pos = this.pos;
    let tag: number;
    if (pos < this.limit && this.buf[pos] < 0x80) {
      tag = this.buf[pos];
      this.pos = pos + 1;
    } else {
      tag = this.varintSlow('tag');
      if (tag > 0xffffffff) throw new PayloadError(`tag out of range after field ${this.field}`);
    }
    const field = tag >>> 3;
    if (field === 0) throw new PayloadError(`invalid field number 0 at offset ${pos}`);
    this.field = field;
    return tag;
  }

  /** An unsigned varint as a number: exact up to 2^53, which covers lengths, counts and enums. */
  varint(): number {
    const pos = this.pos;
    if (pos < this.limit && this.buf[pos] < 0x80) {
      this.pos = pos + 1;
      return this.buf[pos];
    }
    return this.varintSlow('varint');
  }

  private varintSlow(what: string): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.limit) throw new PayloadError(`truncated ${what} in field ${this.field}`);
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 128;
    }
    throw new PayloadError(`varint longer than 10 bytes in field ${this.field}`);
  }

  /** An unsigned 64-bit varint, exact. */
  varintBig(): bigint {
    const start = this.pos;
    this.skipVarint();
    let result = 0n;
    for (let p = this.pos - 1; p >= start; p--) result = (result << 7n) | BigInt(this.buf[p] & 0x7f);
    return BigInt.asUintN(64, result);
  }

  /** An int32 / enum varint: negatives arrive sign-extended to 10 bytes. */
  int32(): number {
    const start = this.pos;
    const n = this.varint();
    if (n <= 0x7fffffff) return n;
    this.pos = start;
    return Number(BigInt.asIntN(32, this.varintBig()));
  }

  skipVarint(): void {
    const buf = this.buf;
    let pos = this.pos;
    const end = Math.min(this.limit, pos + 10);
    while (pos < end) {
      if (buf[pos++] < 0x80) {
        this.pos = pos;
        return;
      }
    }
    if (end === this.limit) throw new PayloadError(`truncated varint in field ${this.field}`);
    throw new PayloadError(`varint longer than 10 bytes in field ${this.field}`);
  }

  fixed32(): number {
    const p = this.need(4, 'fixed32');
    const b = this.buf;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  /** A fixed64 as a double: exact up to 2^53, ~256 ns resolution for timestamps. */
  fixed64(): number {
    const p = this.need(8, 'fixed64');
    const b = this.buf;
    const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
    const hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16)) + b[p + 7] * 0x1000000;
    return hi * TWO_32 + lo;
  }

  fixed64Big(): bigint {
    const p = this.need(8, 'fixed64');
    return new DataView(this.buf.buffer, this.buf.byteOffset + p, 8).getBigUint64(0, true);
  }

  double(): number {
    const p = this.need(8, 'fixed64');
    return new DataView(this.buf.buffer, this.buf.byteOffset + p, 8).getFloat64(0, true);
  }

  /** Reads a length prefix and returns the end offset of the payload; `pos` is left at its start. */
  lengthEnd(): number {
    const len = this.varint();
    const left = this.limit - this.pos;
    if (len > left) {
      throw new PayloadError(`truncated length-delimited field ${this.field} (length ${len}, ${left} bytes left)`);
    }
    return this.pos + len;
  }

  /** A length-delimited payload as a view into the buffer. */
  bytes(): Uint8Array {
    const end = this.lengthEnd();
    const view = this.view(this.pos, end);
    this.pos = end;
    return view;
  }

  /**
   * A plain Uint8Array view of [start, end). Built directly rather than with subarray, which on a Buffer
   * goes through the species constructor and costs several times more.
   */
  view(start: number, end: number): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + start, end - start);
  }

  string(): string {
    return this.bytesAsString('utf8');
  }

  /** A length-delimited payload as text: 'utf8' for strings, 'base64' or 'hex' for bytes in JSON. */
  bytesAsString(encoding: 'utf8' | 'base64' | 'hex'): string {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    this.asBuffer ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.asBuffer.toString(encoding, start, end);
  }

  /** Skips one field's payload of any wire type (groups included). */
  skip(wireType: number, depth = 0): void {
    switch (wireType) {
      case WIRE_VARINT: this.skipVarint(); return;
      case WIRE_FIXED64: this.need(8, 'fixed64'); return;
      case WIRE_LEN: this.pos = this.lengthEnd(); return;
      case WIRE_FIXED32: this.need(4, 'fixed32'); return;
      case WIRE_START_GROUP: this.skipGroup(this.field, depth + 1); return;
      case WIRE_END_GROUP: throw new PayloadError(`unexpected end-group for field ${this.field}`);
      default: throw new PayloadError(`invalid wire type ${wireType} in field ${this.field}`);
    }
  }

  private skipGroup(field: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw new PayloadError(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
    while (this.pos < this.limit) {
      const tag = this.tag();
      if ((tag & 7) !== WIRE_END_GROUP) {
        this.skip(tag & 7, depth);
      } else if (tag >>> 3 === field) {
        return;
      } else {
        throw new PayloadError(`end-group for field ${tag >>> 3} inside group ${field}`);
      }
    }
    throw new PayloadError(`truncated group field ${field}`);
  }

  /** Advances past n bytes, returning where they start. */
  private need(n: number, what: string): number {
    const p = this.pos;
    if (this.limit - p < n) throw new PayloadError(`truncated ${what} field ${this.field}`);
    this.pos = p + n;
    return p;
  }
}
