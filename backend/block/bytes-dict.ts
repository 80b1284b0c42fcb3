import { ByteSink } from './byte-sink.ts';
import { fmix } from './murmur-mix.ts';

/**
 * A dictionary of byte strings: ids in order of first appearance. Open addressing over an FNV-1a hash of
 * the bytes, entries kept in one arena: no JS string per lookup, which is most of the cost at ~20 lookups
 * per span.
 */
export class BytesDict {
  #arena = new ByteSink(1024);
  #starts: number[] = [];
  #ends: number[] = [];
  #hashes: number[] = [];
  #slots = new Int32Array(64).fill(-1);

  get count(): number {
    return this.#starts.length;
  }

  /** Bytes held by the entries. */
  get byteLength(): number {
    return this.#arena.length;
  }

  /** True when entry `id` holds exactly `src[start, end)`: a cheap check of a guessed id. */
  is(id: number, src: Uint8Array, start: number, end: number): boolean {
    const at = this.#starts[id];
    return at !== undefined && this.#ends[id] - at === end - start && sameBytes(this.#arena.buf, at, src, start, end - start);
  }

  /** The id of `src[start, end)`, added if new. */
  id(src: Uint8Array, start: number, end: number): number {
    const h = hashBytes(src, start, end);
    const slots = this.#slots;
    const mask = slots.length - 1;
    const arena = this.#arena.buf;
    const len = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = slots[s];
      if (id < 0) return this.#add(src, start, end, h, s);
      if (this.#hashes[id] !== h) continue;
      const at = this.#starts[id];
      if (this.#ends[id] - at === len && sameBytes(arena, at, src, start, len)) return id;
    }
  }

  /** The entry `id` as a view (valid until the next `id`). */
  entry(id: number): Uint8Array {
    return this.#arena.buf.subarray(this.#starts[id], this.#ends[id]);
  }

  /** Count, then each entry length-prefixed. */
  writeTo(sink: ByteSink): void {
    sink.u(this.count);
    const arena = this.#arena.buf;
    for (let i = 0; i < this.count; i++) sink.bytesRange(arena, this.#starts[i], this.#ends[i]);
  }

  #add(src: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const id = this.#starts.length;
    const at = this.#arena.length;
    this.#arena.rawRange(src, start, end);
    this.#starts.push(at);
    this.#ends.push(at + end - start);
    this.#hashes.push(hash);
    this.#slots[slot] = id;
    if (this.#starts.length * 2 > this.#slots.length) this.#grow();
    return id;
  }

  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.#hashes.length; id++) {
      let s = this.#hashes[id] & mask;
      while (slots[s] >= 0) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.#slots = slots;
  }
}

/** Byte strings at least this long (resources) are compared natively and hashed on a sample of their bytes. */
const LONG = 128;
const SAMPLE = 48;

function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, len: number): boolean {
  if (len >= LONG) return Buffer.compare(a.subarray(aAt, aAt + len), b.subarray(bAt, bAt + len)) === 0;
  for (let i = 0; i < len; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

/**
 * Four bytes per multiply, then murmur3's finaliser: about 3x faster than byte-wise FNV-1a on short strings.
 * A long string is hashed on its length, head, tail and a stride through the middle; equal hashes are
 * always compared in full, so a weak sample costs time, never correctness.
 */
function hashBytes(src: Uint8Array, start: number, end: number): number {
  if (end - start >= LONG) {
    const stride = ((end - start - 2 * SAMPLE) >>> 4) & ~3;
    let h = mix(hashRange(src, start, start + SAMPLE, end - start), hashRange(src, end - SAMPLE, end, 0));
    for (let i = start + SAMPLE; stride > 0 && i + 4 <= end - SAMPLE; i += stride) h = mix(h, hashRange(src, i, i + 4, 0));
    return h;
  }
  return hashRange(src, start, end, end - start);
}

function mix(a: number, b: number): number {
  return Math.imul(a ^ (b >>> 0), 0x9e3779b1) >>> 0;
}

function hashRange(src: Uint8Array, start: number, end: number, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24)), 0x01000193);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ src[i], 0x01000193);
  return fmix(h);
}

/** Reads what BytesDict.writeTo wrote: entries as views into `buf`. */
export function readDict(src: { u(): number; skipBytes(): number; buf: Uint8Array; pos: number }): Uint8Array[] {
  const count = src.u();
  const out: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const start = src.skipBytes();
    out[i] = src.buf.subarray(start, src.pos);
  }
  return out;
}
