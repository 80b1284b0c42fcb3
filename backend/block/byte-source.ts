import { TracelakeError } from '../../pipeline/errors.ts';
import { readVarint64 } from './varint64.ts';

/**
 * Reads what ByteSink wrote. Every read is bounds-checked: a damaged stream throws TracelakeError rather
 * than reading garbage. 64-bit reads leave their halves in `lo` / `hi`.
 */
export class ByteSource {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw cutShort();
    return this.buf[this.pos++];
  }

  /** An unsigned varint below 2^53. */
  u(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < this.end && buf[pos] < 0x80) {
      this.pos = pos + 1;
      return buf[pos];
    }
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (pos >= this.end) throw cutShort();
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 128;
    }
    throw new TracelakeError('column varint too long');
  }

  /** An unsigned 64-bit varint into `lo` / `hi`. */
  u64(): void {
    this.pos = readVarint64(this.buf, this.pos, this, this.end);
  }

  /** A zigzag 64-bit varint into `lo` / `hi` (two's complement). */
  z64(): void {
    this.u64();
    const sign = -(this.lo & 1);
    const lo = ((this.lo >>> 1) | (this.hi << 31)) ^ sign;
    this.hi = ((this.hi >>> 1) ^ sign) >>> 0;
    this.lo = lo >>> 0;
  }

  skipVarint(): void {
    const buf = this.buf;
    let pos = this.pos;
    while (pos < this.end && buf[pos] >= 0x80) pos++;
    if (pos >= this.end) throw cutShort();
    this.pos = pos + 1;
  }

  /** `n` bytes as a view. */
  take(n: number): Uint8Array {
    const start = this.pos;
    if (n > this.end - start) throw cutShort();
    this.pos = start + n;
    return this.buf.subarray(start, start + n);
  }

  /** A length-prefixed byte string: its start in `buf`, with `pos` left after it. */
  skipBytes(): number {
    const n = this.u();
    const start = this.pos;
    if (n > this.end - start) throw cutShort();
    this.pos = start + n;
    return start;
  }

  bytes(): Uint8Array {
    return this.take(this.u());
  }
}

function cutShort(): TracelakeError {
  return new TracelakeError('column stream is cut short');
}
