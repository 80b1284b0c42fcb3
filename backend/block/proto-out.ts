import type { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';

/**
 * Length prefix + `src[start, end)` into a protobuf writer. Most values rebuilt from columns are a few bytes
 * long: a byte loop beats TypedArray#set (and its view) at that size.
 */
export function putBytes(w: ProtoWriter, src: Uint8Array, start = 0, end = src.length): void {
  w.varint(end - start);
  putRaw(w, src, start, end);
}

/** `src[start, end)` as it is. */
export function putRaw(w: ProtoWriter, src: Uint8Array, start = 0, end = src.length): void {
  const n = end - start;
  w.ensure(n);
  const buf = w.buf;
  let pos = w.pos;
  if (n <= 32) for (let i = start; i < end; i++) buf[pos++] = src[i];
  else {
    buf.set(src.subarray(start, end), pos);
    pos += n;
  }
  w.pos = pos;
}

/** Field `field` holding `bytes`, left out when empty (proto3). */
export function writeBytes(w: ProtoWriter, field: number, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  w.tag(field, 2);
  putBytes(w, bytes);
}

/** A fixed64 timestamp from its halves, left out when zero. */
export function writeTime(w: ProtoWriter, field: number, lo: number, hi: number): void {
  if (lo === 0 && hi === 0) return;
  w.tag(field, 1);
  w.ensure(8);
  const buf = w.buf;
  const p = w.pos;
  buf[p] = lo; buf[p + 1] = lo >>> 8; buf[p + 2] = lo >>> 16; buf[p + 3] = lo >>> 24;
  buf[p + 4] = hi; buf[p + 5] = hi >>> 8; buf[p + 6] = hi >>> 16; buf[p + 7] = hi >>> 24;
  w.pos = p + 8;
}

/** A varint field, left out when zero. */
export function writeCount(w: ProtoWriter, field: number, n: number): void {
  if (n === 0) return;
  w.tag(field, 0);
  w.varint(n);
}
