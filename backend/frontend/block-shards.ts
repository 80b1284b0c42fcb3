import { blockIdFromHex, type BlockIdRange } from '../querier/block-id-range.ts';

const ID_SPACE = 1n << 128n;

/**
 * The block ID space (UUIDs 00000000-… to ffffffff-…, as 128-bit numbers) cut into `count` consecutive
 * ranges of equal size (the first ones one larger when it does not divide), both ends included: together
 * they hold every ID exactly once. Tempo cuts on the first 8 bytes and lets neighbours share a boundary ID;
 * exact ranges keep a block from being read by two jobs.
 */
export function blockIdShards(count: number): BlockIdRange[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  const n = BigInt(count);
  const size = ID_SPACE / n;
  const larger = ID_SPACE % n;
  const shards: BlockIdRange[] = [];
  let start = 0n;
  for (let i = 0n; i < n; i++) {
    const length = size + (i < larger ? 1n : 0n);
    shards.push({ start: blockId(start), end: blockId(start + length - 1n) });
    start += length;
  }
  return shards;
}

function blockId(value: bigint): string {
  return blockIdFromHex(value.toString(16).padStart(32, '0'));
}
