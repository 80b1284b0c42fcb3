import assert from 'node:assert/strict';
import { TracelakeError } from '../../../pipeline/errors.ts';
import bloomFilters from 'bloom-filters';
import { decodeBloom, encodeBloom } from '../../../backend/block/bloom-codec.ts';
import { BLOOM_SHARD_MAX_BYTES, bloomHas, bloomKey, bloomShardCount, bloomShardOf, buildBloomShards } from '../../../backend/block/bloom-shards.ts';
import { absentIds, makeRandom } from './block-fixtures.ts';

describe('bloom shards', () => {
  const random = makeRandom(7);
  const ids = Array.from({ length: 20_000 }, () => random(16));

  it('keeps every added ID after an encode/decode round trip', () => {
    const shards = buildBloomShards(ids, 3, 0.01).map(decodeBloom);
    for (const id of ids) assert.ok(bloomHas(shards[bloomShardOf(id, 3)], id));
  });

  it('admits absent IDs at about the configured false-positive rate', () => {
    for (const fp of [0.01, 0.05]) {
      const shards = buildBloomShards(ids, 2, fp).map(decodeBloom);
      const absent = absentIds(50_000);
      const hits = absent.filter((id) => bloomHas(shards[bloomShardOf(id, 2)], id)).length;
      const rate = hits / absent.length;
      assert.ok(rate > fp / 2 && rate < fp * 1.5, `rate ${rate} for ${fp}`);
    }
  });

  it('spreads IDs whose upper half is zero (64-bit IDs) as well as random ones', () => {
    const short = ids.map((id) => Uint8Array.from([...new Uint8Array(8), ...id.subarray(8)]));
    const [filter] = buildBloomShards(short, 1, 0.01).map(decodeBloom);
    const absent = absentIds(50_000).map((id) => Uint8Array.from([...new Uint8Array(8), ...id.subarray(8)]));
    const rate = absent.filter((id) => bloomHas(filter, id)).length / absent.length;
    assert.ok(rate < 0.015, `rate ${rate}`);
  });

  it('reads filters of hash scheme 1 (bloom-filters XXH64), as older blocks hold', () => {
    const old = bloomFilters.BloomFilter.create(ids.length, 0.01);
    for (const id of ids) old.add(bloomKey(id));
    const filter = decodeBloom(encodeBloom(old));
    assert.equal(filter.hashScheme, 1);
    for (const id of ids) assert.ok(bloomHas(filter, id));
    assert.ok(absentIds(5000).filter((id) => bloomHas(filter, id)).length < 100);
  });

  it('stores the raw bit array compactly, not the JSON export', () => {
    const [shard] = buildBloomShards(ids, 1, 0.01);
    const optimalBytes = (-ids.length * Math.log(0.01)) / Math.LN2 ** 2 / 8;
    assert.ok(shard.length < optimalBytes + 64, `${shard.length} bytes`);
  });

  it('uses enough shards to keep each under the shard size', () => {
    assert.equal(bloomShardCount(1000, 0.01), 1);
    const n = 1_000_000;
    const count = bloomShardCount(n, 0.01);
    assert.ok(((-n * Math.log(0.01)) / Math.LN2 ** 2 / 8) / count <= BLOOM_SHARD_MAX_BYTES);
    assert.ok(count <= 1000);
  });

  it('spreads IDs evenly over shards, even when IDs start with a timestamp', () => {
    const counts = new Array(8).fill(0);
    for (const id of ids) {
      const xray = Uint8Array.from(id);
      xray.set([0x65, 0x5b, 0x00, 0x00]); // X-Ray style: same leading seconds
      counts[bloomShardOf(xray, 8)]++;
    }
    for (const c of counts) assert.ok(Math.abs(c - ids.length / 8) < ids.length / 40, `${counts}`);
  });

  it('refuses a damaged or foreign shard', () => {
    const [shard] = buildBloomShards(ids.slice(0, 100), 1, 0.01);
    const flipped = Uint8Array.from(shard);
    flipped[40] ^= 1;
    assert.throws(() => decodeBloom(flipped), TracelakeError);
    assert.throws(() => decodeBloom(shard.subarray(0, shard.length - 1)), TracelakeError);
    assert.throws(() => decodeBloom(new Uint8Array(64)), /not a bloom filter/);
  });
});
