import assert from 'node:assert/strict';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { BlockList } from '../../../backend/db/block-list.ts';

function fakeMeta(tenantID: string, blockID: string, startTime: string, endTime: string): BlockMeta {
  return {
    format: 'tl1', blockID, tenantID, startTime, endTime, totalObjects: 1, totalSpans: 1, size: 1,
    dataEncoding: 'zstd', bloomShards: 1, minID: '0'.repeat(32), maxID: 'f'.repeat(32), compactionLevel: 0,
  };
}

describe('BlockList', () => {
  it('keeps blocks per tenant, replacing a block added twice', () => {
    const list = new BlockList();
    list.add(fakeMeta('t1', 'a', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'));
    list.add(fakeMeta('t1', 'b', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'));
    list.add({ ...fakeMeta('t1', 'a', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'), totalSpans: 9 });
    list.add(fakeMeta('t2', 'c', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'));
    assert.deepEqual(list.tenants().sort(), ['t1', 't2']);
    assert.deepEqual(list.forTenant('t1').map((m) => [m.blockID, m.totalSpans]), [['a', 9], ['b', 1]]);
    assert.deepEqual(list.forTenant('nobody'), []);
  });

  it('removes blocks, and a tenant with its last block', () => {
    const list = new BlockList();
    list.add(fakeMeta('t1', 'a', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'));
    assert.equal(list.remove('t1', 'x'), false);
    assert.equal(list.remove('t1', 'a'), true);
    assert.deepEqual(list.tenants(), []);
  });

  it('replaces a tenant list with a poll result', () => {
    const list = new BlockList();
    list.add(fakeMeta('t1', 'old', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'));
    list.replace('t1', [fakeMeta('t1', 'new', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z')]);
    assert.deepEqual(list.forTenant('t1').map((m) => m.blockID), ['new']);
  });

  it('selects blocks overlapping a time range, bounds inclusive and widened to whole seconds', () => {
    const list = new BlockList();
    const base = Date.parse('2024-01-01T00:00:00Z') / 1000;
    list.add(fakeMeta('t', 'early', '2024-01-01T00:00:00.500Z', '2024-01-01T00:01:39.200Z')); // [base, base+100]
    list.add(fakeMeta('t', 'late', '2024-01-01T00:03:20Z', '2024-01-01T00:05:00Z')); // [base+200, base+300]
    const ids = (start: number, end: number) => list.inRange('t', { start: base + start, end: base + end }).map((m) => m.blockID).sort();
    assert.deepEqual(ids(0, 50), ['early']);
    assert.deepEqual(ids(100, 200), ['early', 'late']);
    assert.deepEqual(ids(101, 199), []);
    assert.deepEqual(ids(300, 400), ['late']);
    assert.deepEqual(ids(301, 400), []);
    assert.deepEqual(list.inRange('t').map((m) => m.blockID).sort(), ['early', 'late']);
  });

  it('keeps compacted blocks apart from live ones, selected by when they were compacted', () => {
    const list = new BlockList();
    const at = (blockID: string, compactedTime: string) => ({ ...fakeMeta('t', blockID, '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z'), compactedTime });
    list.replace('t', [fakeMeta('t', 'out', '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z')], {
      compacted: [at('early', '2024-01-01T01:00:00Z'), at('late', '2024-01-01T02:00:00Z')],
    });
    assert.deepEqual(list.forTenant('t').map((m) => m.blockID), ['out']);
    assert.deepEqual(list.compactedForTenant('t').map((m) => m.blockID).sort(), ['early', 'late']);
    const since = (iso: string) => list.compactedInRange('t', undefined, Date.parse(iso)).map((m) => m.blockID).sort();
    assert.deepEqual(since('2024-01-01T01:00:00Z'), ['early', 'late']);
    assert.deepEqual(since('2024-01-01T01:00:01Z'), ['late']);
    assert.deepEqual(list.compactedInRange('t', { start: 0, end: 1 }, 0), []);
    list.replace('t', []);
    assert.deepEqual(list.compactedForTenant('t'), []);
    assert.deepEqual(list.tenants(), []);
  });

  it('keeps blocks announced since the poll began, unless the poll found them compacted', () => {
    let now = 1000;
    const list = new BlockList({ now: () => now });
    const meta = (blockID: string) => fakeMeta('t', blockID, '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z');
    list.add(meta('before'));
    now = 2000;
    list.add(meta('after'));
    list.add(meta('merged'));
    list.replace('t', [meta('polled')], { keepAnnouncedSinceMs: 1500, compacted: [{ ...meta('merged'), compactedTime: '2024-01-01T01:00:00Z' }] });
    assert.deepEqual(list.forTenant('t').map((m) => m.blockID).sort(), ['after', 'polled']);
    list.replace('t', [meta('polled'), meta('after')], { keepAnnouncedSinceMs: 1500 });
    list.replace('t', [meta('polled')], { keepAnnouncedSinceMs: 1500 });
    assert.deepEqual(list.forTenant('t').map((m) => m.blockID), ['polled'], 'a polled block is no longer an announcement');
  });
});
