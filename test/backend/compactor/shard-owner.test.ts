import assert from 'node:assert/strict';
import { allShards, hashShards } from '../../../backend/compactor/shard-owner.ts';
import { ConfigError } from '../../../pipeline/errors.ts';

describe('ShardOwner', () => {
  it('allShards owns everything', () => {
    assert.equal(allShards.owns('any', 123), true);
  });

  it('hashShards gives every (tenant, window) shard to exactly one of the instances, spread evenly', () => {
    const owners = [0, 1, 2].map((i) => hashShards(i, 3));
    const counts = [0, 0, 0];
    for (const tenant of ['a', 'b', 'single-tenant']) {
      for (let w = 0; w < 1000; w++) {
        const mine = owners.map((o) => o.owns(tenant, 1_700_000_000 + w * 3600));
        assert.equal(mine.filter(Boolean).length, 1, `${tenant}/${w}`);
        counts[mine.indexOf(true)]++;
      }
    }
    for (const c of counts) assert.ok(c > 800 && c < 1200, `uneven split ${counts}`);
  });

  it('is the same in every process (no randomness)', () => {
    assert.equal(hashShards(1, 4).owns('t', 1_700_000_000), hashShards(1, 4).owns('t', 1_700_000_000));
    assert.equal(hashShards(0, 1).owns('t', 5), true);
  });

  it('refuses an index outside the instance count', () => {
    assert.throws(() => hashShards(2, 2), ConfigError);
    assert.throws(() => hashShards(0, 0), ConfigError);
  });
});
