import { TracelakeError } from '../../pipeline/errors.ts';
import type { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';

/**
 * Writes the varint of a 64-bit value given as its low and high 32 bits at `buf[pos]` (up to 10 bytes
 * must fit); returns the offset after it.
 */
export function putVarint64(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  lo >>>= 0;
  hi >>>= 0;
  while (hi !== 0 || lo > 0x7f) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/** A 64-bit varint (e.g. an int64 attribute) from its low and high 32 bits, into a protobuf writer. */
export function writeVarint64(w: ProtoWriter, lo: number, hi: number): void {
  w.ensure(10);
  w.pos = putVarint64(w.buf, w.pos, lo, hi);
}

/**
 * Reads the varint at `buf[at]` (ending before `end`) into `out` (low, high 32 bits); returns the offset
 * after it. Throws TracelakeError when it runs past `end` or over 10 bytes.
 */
export function readVarint64(buf: Uint8Array, at: number, out: { lo: number; hi: number }, end = buf.length): number {
  let lo = 0;
  let hi = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= end || shift > 63) throw new TracelakeError(shift > 63 ? 'varint too long' : 'varint cut short');
    const b = buf[at++];
    const v = b & 0x7f;
    if (shift < 28) lo |= v << shift;
    else if (shift === 28) {
      lo |= (v & 0xf) << 28;
      hi |= v >>> 4;
    } else hi |= v << (shift - 32);
    if (b < 0x80) break;
  }
  out.lo = lo >>> 0;
  out.hi = hi >>> 0;
  return at;
}
