import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { blockIdShards } from '../../../backend/frontend/block-shards.ts';
import { FIRST_BLOCK_ID, inBlockIdRange, LAST_BLOCK_ID } from '../../../backend/querier/block-id-range.ts';

function toBig(id: string): bigint {
  return BigInt(`0x${id.replaceAll('-', '')}`);
}

describe('blockIdShards', () => {
  it('cuts the UUID space in two at 80000000-0000-0000-0000-000000000000', () => {
    assert.deepEqual(blockIdShards(2), [
      { start: FIRST_BLOCK_ID, end: '7fffffff-ffff-ffff-ffff-ffffffffffff' },
      { start: '80000000-0000-0000-0000-000000000000', end: LAST_BLOCK_ID },
    ]);
  });

  it('gives the whole space to one shard', () => {
    assert.deepEqual(blockIdShards(1), [{ start: FIRST_BLOCK_ID, end: LAST_BLOCK_ID }]);
  });

  for (const count of [3, 7, 8, 50, 999]) {
    it(`covers the UUID space exactly, without gaps or overlaps, in ${count} near-equal ranges`, () => {
      const shards = blockIdShards(count);
      assert.equal(shards.length, count);
      assert.equal(shards[0]!.start, FIRST_BLOCK_ID);
      assert.equal(shards.at(-1)!.end, LAST_BLOCK_ID);
      const sizes = new Set<bigint>();
      shards.forEach((shard, i) => {
        assert.match(shard.start, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.ok(toBig(shard.start) <= toBig(shard.end), `shard ${i} is not empty`);
        if (i > 0) assert.equal(toBig(shard.start), toBig(shards[i - 1]!.end) + 1n, `shard ${i} starts right after shard ${i - 1}`);
        sizes.add(toBig(shard.end) - toBig(shard.start) + 1n);
      });
      const [a, b] = [...sizes].sort((x, y) => (x < y ? -1 : 1));
      assert.ok(sizes.size <= 2 && (b === undefined || b - a! === 1n), `sizes differ by at most 1: ${[...sizes].join(', ')}`);
    });
  }

  it('puts every block ID, boundaries included, in exactly one shard', () => {
    const shards = blockIdShards(8);
    const ids = [
      ...Array.from({ length: 500 }, () => randomUUID()),
      ...shards.flatMap((s) => [s.start, s.end]),
      randomUUID().toUpperCase(),
    ];
    for (const id of ids) assert.equal(shards.filter((s) => inBlockIdRange(id, s)).length, 1, id);
  });

  it('refuses a count that is not a positive integer', () => {
    for (const count of [0, -1, 1.5, Number.NaN]) assert.throws(() => blockIdShards(count), RangeError);
  });
});
