import { encodeBloom, HASH_MURMUR_WORDS, type BloomFilter } from './bloom-codec.ts';
import bloomFilters from 'bloom-filters';
import { TRACE_ID_BYTES } from './trace-id.ts';
import { fmix } from './murmur-mix.ts';

const { BloomFilter: Filter } = bloomFilters;

/** Upper bound of one shard's bit array: a cold lookup reads one shard per block, so shards stay small. */
export const BLOOM_SHARD_MAX_BYTES = 64 * 1024;
const MAX_SHARDS = 1000;

/** Enough shards that none exceeds BLOOM_SHARD_MAX_BYTES at the false-positive rate `fp`. */
export function bloomShardCount(traceCount: number, fp: number): number {
  const bits = Math.ceil((-traceCount * Math.log(fp)) / Math.LN2 ** 2);
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(bits / 8 / BLOOM_SHARD_MAX_BYTES)));
}

/** FNV-1a over all 16 ID bytes: IDs whose first bytes are a timestamp (X-Ray style) still spread evenly. */
export function bloomShardOf(traceId: Uint8Array, shardCount: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < TRACE_ID_BYTES; i++) h = Math.imul(h ^ traceId[i], 0x01000193);
  return (h >>> 0) % shardCount;
}

/** bloom-filters hashes Buffers (not plain Uint8Arrays): a view, no copy. */
export function bloomKey(traceId: Uint8Array): Buffer {
  return Buffer.from(traceId.buffer, traceId.byteOffset, TRACE_ID_BYTES);
}

/** Each shard sized for the IDs that fall in it, at rate `fp`; encoded for storage. */
export function buildBloomShards(traceIds: readonly Uint8Array[], shardCount: number, fp: number): Uint8Array[] {
  const perShard: Uint8Array[][] = Array.from({ length: shardCount }, () => []);
  for (const id of traceIds) perShard[bloomShardOf(id, shardCount)].push(id);
  return perShard.map((ids) => {
    const filter: BloomFilter = Filter.create(Math.max(1, ids.length), fp);
    filter.hashScheme = HASH_MURMUR_WORDS;
    for (const id of ids) {
      idHashes(id);
      for (let i = 0; i < filter._nbHashes; i++) filter._filter.add(filter._hashing.doubleHashing(i, hashes.first, hashes.second, filter._size));
    }
    return encodeBloom(filter);
  });
}

export function bloomHas(filter: BloomFilter, traceId: Uint8Array): boolean {
  if (filter.hashScheme !== HASH_MURMUR_WORDS) return filter.has(bloomKey(traceId));
  idHashes(traceId);
  return bloomHasHashes(filter, hashes.first, hashes.second);
}

/** Whether every bit of the ID hashed to (first, second) is set: bloom-filters' double hashing. */
export function bloomHasHashes(filter: BloomFilter, first: number, second: number): boolean {
  for (let i = 0; i < filter._nbHashes; i++) {
    if (!filter._filter.has(filter._hashing.doubleHashing(i, first, second, filter._size))) return false;
  }
  return true;
}

/** The two 32-bit hashes of hash scheme 2, left in `hashes` (no object per ID). */
export const hashes = { first: 0, second: 0 };

export function idHashes(id: Uint8Array): void {
  let a = 0x9747b28c;
  let b = 0x5bd1e995;
  for (let at = 0; at < TRACE_ID_BYTES; at += 4) {
    const w = id[at] | (id[at + 1] << 8) | (id[at + 2] << 16) | (id[at + 3] << 24);
    a = murmurRound(a, w);
    b = murmurRound(b, w ^ 0x2545f491);
  }
  hashes.first = fmix(a ^ TRACE_ID_BYTES);
  hashes.second = fmix(b ^ TRACE_ID_BYTES);
}

function murmurRound(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

