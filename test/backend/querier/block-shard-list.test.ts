import assert from 'node:assert/strict';
import { BlockList } from '../../../backend/db/block-list.ts';
import { BlockShardList } from '../../../backend/querier/block-shard-list.ts';
import { fakeMeta } from '../db/db-fixtures.ts';

const LOW = '10000000-0000-4000-8000-000000000000';
const MID = '7fffffff-ffff-ffff-ffff-ffffffffffff';
const HIGH = 'a0000000-0000-4000-8000-000000000000';
const lowerHalf = { start: '00000000-0000-0000-0000-000000000000', end: MID };

function list(): BlockList {
  const blocks = new BlockList();
  blocks.replace('t', [fakeMeta('t', LOW), fakeMeta('t', MID), fakeMeta('t', HIGH)], {
    compacted: [{ ...fakeMeta('t', '20000000-0000-4000-8000-000000000000'), compactedTime: new Date().toISOString() },
      { ...fakeMeta('t', 'b0000000-0000-4000-8000-000000000000'), compactedTime: new Date().toISOString() }],
  });
  blocks.add(fakeMeta('u', HIGH));
  return blocks;
}

describe('BlockShardList', () => {
  it('shows only the blocks whose ID is in the shard, ends included', () => {
    const view = new BlockShardList(list(), lowerHalf);
    assert.deepEqual(view.inRange('t').map((m) => m.blockID), [LOW, MID]);
    assert.deepEqual(view.inRange('t', { start: 1_704_067_200, end: 1_704_067_500 }).map((m) => m.blockID), [LOW, MID]);
    assert.deepEqual(view.forTenant('t').map((m) => m.blockID), [LOW, MID]);
    assert.deepEqual(view.compactedInRange('t', undefined, 0).map((m) => m.blockID), ['20000000-0000-4000-8000-000000000000']);
    assert.deepEqual(view.compactedForTenant('t').map((m) => m.blockID), ['20000000-0000-4000-8000-000000000000']);
    assert.deepEqual(view.tenants(), ['t'], 'tenant u has no block in the shard');
  });

  it('follows the list it views', () => {
    const blocks = list();
    const view = new BlockShardList(blocks, lowerHalf);
    blocks.add(fakeMeta('t', '00000000-0000-4000-8000-000000000001'));
    assert.equal(view.inRange('t').length, 3);
  });

  it('refuses changes', () => {
    const view = new BlockShardList(list(), lowerHalf);
    assert.throws(() => view.add(fakeMeta('t', LOW)), /read-only/);
    assert.throws(() => view.remove('t', LOW), /read-only/);
    assert.throws(() => view.replace('t', []), /read-only/);
  });
});
