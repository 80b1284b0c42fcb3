import { fmix } from './murmur-mix.ts';

/** Distinct strings beyond which a row group gets no bloom (it would rule out too little for its size). */
const MAX_DISTINCT = 512;
const BITS_PER_STRING = 10;
const MIN_BITS = 64;
const PROBES = 3;

/** A 32-bit hash of a string's UTF-16 code units (FNV-1a, then mixed). */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h >>> 0);
}

/**
 * stringHash of the UTF-8 text in buf[start, end), decoded as the search's columns decode it (Buffer's
 * utf8, no BOM stripped): ASCII bytes are hashed as they are, other text is decoded first.
 */
export function utf8Hash(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b >= 0x80) return stringHash(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8'));
    h = Math.imul(h ^ b, 0x01000193);
  }
  return fmix(h >>> 0);
}

/** Collects the hashes of a row group's strings (span names, service names) into a small bloom filter. */
export class StringBloomBuilder {
  readonly #hashes = new Set<number>();

  add(hash: number): void {
    if (this.#hashes.size <= MAX_DISTINCT) this.#hashes.add(hash);
  }

  /** More strings than a filter is made for: adding more changes nothing. */
  get full(): boolean {
    return this.#hashes.size > MAX_DISTINCT;
  }

  /** The filter's bits (a power of two, ~10 per string), or undefined when there are too many strings. */
  finish(): Uint32Array | undefined {
    if (this.#hashes.size > MAX_DISTINCT) return undefined;
    let bits = MIN_BITS;
    while (bits < this.#hashes.size * BITS_PER_STRING) bits *= 2;
    const words = new Uint32Array(bits / 32);
    for (const h of this.#hashes) forEachProbe(h, bits, (bit) => (words[bit >>> 5] |= 1 << (bit & 31)));
    return words;
  }
}

/** False when no string of the filter has this hash; true when one may have. */
export function bloomMayHold(words: Uint32Array, hash: number): boolean {
  let all = true;
  forEachProbe(hash, words.length * 32, (bit) => (all &&= (words[bit >>> 5] & (1 << (bit & 31))) !== 0));
  return all;
}

function forEachProbe(hash: number, bits: number, visit: (bit: number) => void): void {
  const step = fmix(hash ^ 0x9e3779b9) | 1;
  for (let i = 0; i < PROBES; i++) visit((hash + Math.imul(i, step)) & (bits - 1));
}
