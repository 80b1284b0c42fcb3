/**
 * The LZ4 block format (lz4 block_format.md): sequences of literals and (offset, length) matches. The
 * compressor is a greedy single-probe hash search, as LZ4's fast mode; it keeps the end-of-block rules
 * (the last match starts at least 12 bytes before the end, the last 5 bytes are literals) so strict
 * decoders such as lz4-java's accept a full block.
 */

const MIN_MATCH = 4;
const MF_LIMIT = 12;
const LAST_LITERALS = 5;
const MAX_OFFSET = 65535;
const HASH_LOG = 13;
const SKIP_TRIGGER = 6;

/** Bytes a compressed block of `n` input bytes can take at most. */
export function lz4BlockBound(n: number): number {
  return n + Math.ceil(n / 255) + 16;
}

/** A hash table for lz4CompressBlock, reused from block to block. */
export function lz4HashTable(): Int32Array {
  return new Int32Array(1 << HASH_LOG);
}

/**
 * Compresses `src` (at most 64 KiB: offsets are 16 bits) into `dst` (at least lz4BlockBound long) as one
 * independent block; returns the bytes written.
 */
export function lz4CompressBlock(src: Uint8Array, dst: Uint8Array, table: Int32Array): number {
  const n = src.length;
  const w = new SequenceWriter(src, dst);
  let anchor = 0;
  if (n >= MF_LIMIT + 1) {
    table.fill(-1);
    const mfLimit = n - MF_LIMIT;
    const matchLimit = n - LAST_LITERALS;
    let searches = 1 << SKIP_TRIGGER;
    for (let i = 0; i <= mfLimit;) {
      const seq = read32(src, i);
      const h = hash(seq);
      const ref = table[h]!;
      table[h] = i;
      if (ref < 0 || i - ref > MAX_OFFSET || read32(src, ref) !== seq) {
        i += searches++ >>> SKIP_TRIGGER; // the longer nothing matches, the bigger the steps
        continue;
      }
      searches = 1 << SKIP_TRIGGER;
      let start = i;
      let from = ref;
      while (start > anchor && from > 0 && src[start - 1] === src[from - 1]) {
        start--;
        from--;
      }
      let end = i + MIN_MATCH;
      for (let r = ref + MIN_MATCH; end < matchLimit && src[end] === src[r]; r++) end++;
      w.literals(anchor, start - anchor, end - start);
      w.match(start - from, end - start);
      anchor = i = end;
      if (end - 2 <= mfLimit) table[hash(read32(src, end - 2))] = end - 2;
    }
  }
  w.literals(anchor, n - anchor, 0);
  return w.op;
}

/** Writes sequences: a token with the literal run, the literals, then (except for the last) the match. */
class SequenceWriter {
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  op = 0;

  constructor(src: Uint8Array, dst: Uint8Array) {
    this.src = src;
    this.dst = dst;
  }

  /** The token and `count` literals from `anchor`; `matchLength` 0 for the last sequence. */
  literals(anchor: number, count: number, matchLength: number): void {
    const { src, dst } = this;
    const extra = matchLength === 0 ? 0 : matchLength - MIN_MATCH;
    dst[this.op++] = (Math.min(count, 15) << 4) | Math.min(extra, 15);
    if (count >= 15) this.#length(count - 15);
    if (count < 16) {
      for (let k = 0; k < count; k++) dst[this.op++] = src[anchor + k]!;
    } else {
      dst.set(src.subarray(anchor, anchor + count), this.op);
      this.op += count;
    }
  }

  match(offset: number, matchLength: number): void {
    this.dst[this.op++] = offset & 0xff;
    this.dst[this.op++] = offset >>> 8;
    if (matchLength - MIN_MATCH >= 15) this.#length(matchLength - MIN_MATCH - 15);
  }

  #length(length: number): void {
    let rest = length;
    for (; rest >= 255; rest -= 255) this.dst[this.op++] = 255;
    this.dst[this.op++] = rest;
  }
}

/** Output that grows as blocks are decoded; matches may reach back into earlier blocks (linked blocks). */
export class Lz4Output {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(capacity, 64));
  }

  reserve(more: number): void {
    const need = this.length + more;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  append(src: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.bytes.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }
}

/**
 * Decodes the block in src[start, end), which may produce at most `limit` bytes (the frame's block maximum),
 * onto `out`. Throws on a malformed block rather than guessing.
 */
export function lz4DecompressBlock(src: Uint8Array, range: { start: number; end: number; limit: number }, out: Lz4Output): void {
  const { end } = range;
  let dst = out.bytes;
  const stop = out.length + range.limit;
  let i = range.start;
  let op = out.length;
  for (;;) {
    if (i >= end) throw new Error('lz4 block ends inside a sequence');
    const token = src[i++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      for (let b = 255; b === 255; literals += b) {
        if (i >= end) throw new Error('lz4 block ends inside a length');
        b = src[i++]!;
      }
    }
    if (i + literals > end) throw new Error('lz4 literals run past the end of the block');
    if (op + literals > stop) throw new Error('lz4 block decodes to more than its maximum size');
    if (op + literals > dst.length) dst = grow(out, op, literals);
    if (literals < 16) for (let k = 0; k < literals; k++) dst[op++] = src[i++]!;
    else {
      dst.set(src.subarray(i, i + literals), op);
      i += literals;
      op += literals;
    }
    if (i === end) break; // the last sequence has no match
    if (i + 2 > end) throw new Error('lz4 block ends inside a match offset');
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    if (offset === 0 || offset > op) throw new Error(`lz4 match offset ${offset} points before the output`);
    let length = token & 15;
    if (length === 15) {
      for (let b = 255; b === 255; length += b) {
        if (i >= end) throw new Error('lz4 block ends inside a length');
        b = src[i++]!;
      }
    }
    length += MIN_MATCH;
    if (op + length > stop) throw new Error('lz4 block decodes to more than its maximum size');
    if (op + length > dst.length) dst = grow(out, op, length);
    let from = op - offset;
    if (offset >= length && length >= 32) {
      dst.copyWithin(op, from, from + length);
      op += length;
    } else {
      for (const last = op + length; op < last;) dst[op++] = dst[from++]!; // may overlap: repeats the last `offset` bytes
    }
  }
  out.length = op;
}

/** Room for `more` bytes after `op`; the output is not sized up front, as a block's maximum can be 4 MiB for a few bytes. */
function grow(out: Lz4Output, op: number, more: number): Uint8Array {
  out.length = op;
  out.reserve(more);
  return out.bytes;
}

function hash(seq: number): number {
  return Math.imul(seq, 2654435761) >>> (32 - HASH_LOG);
}

function read32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}
