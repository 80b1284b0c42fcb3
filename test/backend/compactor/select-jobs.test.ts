import assert from 'node:assert/strict';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { resolveCompactorSettings } from '../../../backend/compactor/compactor-settings.ts';
import type { CompactorConfig } from '../../../backend/compactor/config.ts';
import { selectJobs } from '../../../backend/compactor/select-jobs.ts';
import { allShards, type ShardOwner } from '../../../backend/compactor/shard-owner.ts';
import { HOUR, NOW } from './compactor-fixtures.ts';

function meta(blockID: string, endMs: number, options: { level?: number; size?: number; objects?: number } = {}): BlockMeta {
  return {
    format: 'tl1', blockID, tenantID: 't', startTime: new Date(endMs - 60_000).toISOString(), endTime: new Date(endMs).toISOString(),
    totalObjects: options.objects ?? 10, totalSpans: 30, size: options.size ?? 1000, dataEncoding: 'zstd', bloomShards: 1,
    minID: '0'.repeat(32), maxID: 'f'.repeat(32), compactionLevel: options.level ?? 0,
  };
}

function select(metas: BlockMeta[], config: Partial<CompactorConfig['compaction']> = {}, owner: ShardOwner = allShards) {
  const settings = resolveCompactorSettings({ compaction: config as CompactorConfig['compaction'] });
  return selectJobs({ tenant: 't', metas, settings, owner, nowMs: NOW }).map((j) => ({ ids: j.inputs.map((m) => m.blockID), level: j.level, window: j.windowStart }));
}

describe('selectJobs', () => {
  it('groups by the window of the end time and by level, never mixing them in the last 24 hours', () => {
    const jobs = select([
      meta('a', NOW - 10 * 60_000), meta('b', NOW - 20 * 60_000), meta('c', NOW - 30 * 60_000, { level: 1 }),
      meta('d', NOW - 70 * 60_000), meta('e', NOW - 80 * 60_000), meta('f', NOW - 90 * 60_000, { level: 1 }),
    ]);
    assert.deepEqual(jobs, [
      { ids: ['a', 'b'], level: 1, window: (NOW - HOUR) / 1000 },
      { ids: ['d', 'e'], level: 1, window: (NOW - 2 * HOUR) / 1000 },
    ]);
  });

  it('merges across levels in windows older than 24 hours, one level above the highest input', () => {
    const old = NOW - 3 * 24 * HOUR + 10 * 60_000;
    assert.deepEqual(select([meta('x', old, { level: 3 }), meta('y', old + 1000)]), [{ ids: ['x', 'y'], level: 4, window: (old - 10 * 60_000) / 1000 }]);
  });

  it('takes the smallest blocks first, at most max_input_blocks per job, and leaves a lone one', () => {
    const metas = Array.from({ length: 7 }, (_, i) => meta(`b${i}`, NOW - 60_000, { size: 100 * (7 - i) }));
    assert.deepEqual(select(metas, { max_input_blocks: 3 }).map((j) => j.ids), [['b1', 'b2', 'b3'], ['b4', 'b5', 'b6']]);
  });

  it('keeps each job within max_compaction_objects and max_block_bytes', () => {
    const metas = [meta('a', NOW - 1, { objects: 40, size: 10 }), meta('b', NOW - 2, { objects: 40, size: 20 }), meta('c', NOW - 3, { objects: 40, size: 30 })];
    assert.deepEqual(select(metas, { max_compaction_objects: 100 }).map((j) => j.ids), [['a', 'b']]);
    assert.deepEqual(select(metas, { max_block_bytes: 49 }).map((j) => j.ids), [['a', 'b']]);
    assert.deepEqual(select(metas, { max_block_bytes: 25 }), []);
  });

  it('leaves blocks past retention to retention', () => {
    const old = NOW - 15 * 24 * HOUR;
    assert.deepEqual(select([meta('a', old), meta('b', old + 1)]), []);
    assert.equal(select([meta('a', old), meta('b', old + 1)], { block_retention: 0 }).length, 1);
  });

  it('chooses only windows the owner owns', () => {
    const metas = [meta('a', NOW - 1), meta('b', NOW - 2), meta('c', NOW - HOUR - 1), meta('d', NOW - HOUR - 2)];
    const owner: ShardOwner = { owns: (_tenant, window) => window === (NOW - 2 * HOUR) / 1000 };
    assert.deepEqual(select(metas, {}, owner).map((j) => j.ids), [['c', 'd']]);
  });

  it('chooses the same jobs whatever order the listing comes in', () => {
    const metas = Array.from({ length: 20 }, (_, i) => meta(`b${String(i).padStart(2, '0')}`, NOW - (i % 3) * HOUR - 1, { size: 1000 + (i % 4), level: i % 2 }));
    const shuffled = [...metas].sort((x, y) => (x.blockID.split('').reverse().join('') < y.blockID.split('').reverse().join('') ? -1 : 1));
    assert.deepEqual(select(shuffled), select(metas));
  });
});
