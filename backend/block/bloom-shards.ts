import { encodeBloom, type BloomFilter } from './bloom-codec.ts';
import bloomFilters from 'bloom-filters';
import { TRACE_ID_BYTES } from './trace-id.ts';

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
    for (const id of ids) filter.add(bloomKey(id));
    return encodeBloom(filter);
  });
}

export function bloomHas(filter: BloomFilter, traceId: Uint8Array): boolean {
  return filter.has(bloomKey(traceId));
}
