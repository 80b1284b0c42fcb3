import { putVarint } from '../../pipeline/otlp/proto-writer.ts';
import { putVarint64 } from './varint64.ts';

/**
 * A growing byte buffer for column streams: unsigned varints, 64-bit varints from two 32-bit halves (no
 * BigInt on the hot path), zigzag, length-prefixed bytes.
 */
export class ByteSink {
  buf: Uint8Array;
  pos = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.#grow(n);
  }

  #grow(n: number): void {
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.#grow(1);
    this.buf[this.pos++] = b;
  }

  /** A non-negative integer below 2^53. */
  u(n: number): void {
    if (this.pos + 8 > this.buf.length) this.#grow(8);
    this.pos = putVarint(this.buf, this.pos, n);
  }

  /** An unsigned 64-bit integer given as its low and high 32 bits. */
  u64(lo: number, hi: number): void {
    if (hi === 0) {
      this.u(lo >>> 0);
      return;
    }
    this.ensure(10);
    this.pos = putVarint64(this.buf, this.pos, lo, hi);
  }

  /** A signed 64-bit integer (two's complement halves), zigzag-encoded: small magnitudes stay short. */
  z64(lo: number, hi: number): void {
    const sign = hi >> 31;
    this.u64(((lo << 1) ^ sign) >>> 0, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** `src[start, end)` copied as it is. */
  rawRange(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.pos + n > this.buf.length) this.#grow(n);
    const buf = this.buf;
    let pos = this.pos;
    if (n < 32) for (let i = start; i < end; i++) buf[pos++] = src[i];
    else {
      buf.set(src.subarray(start, end), pos);
      pos += n;
    }
    this.pos = pos;
  }

  /** Length prefix + `src[start, end)`. */
  bytesRange(src: Uint8Array, start: number, end: number): void {
    this.u(end - start);
    this.rawRange(src, start, end);
  }

  bytes(bytes: Uint8Array): void {
    this.u(bytes.length);
    this.raw(bytes);
  }
}
