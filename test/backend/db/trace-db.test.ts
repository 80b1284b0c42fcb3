import assert from 'node:assert/strict';
import { BadRequestError } from '../../../pipeline/errors.ts';
import type { TraceEntry } from '../../../backend/block/block-meta.ts';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { BlockList } from '../../../backend/db/block-list.ts';
import { loadBlockList } from '../../../backend/db/load-block-list.ts';
import { TraceDb } from '../../../backend/db/trace-db.ts';
import { absentIds, makeEntries, makeTempStore, RecordingStore, type TempStore } from '../block/block-fixtures.ts';

const T0 = 1_700_000_000;

describe('TraceDb', () => {
  let tmp: TempStore;
  let blocks: BlockList;
  // The same trace ID in three blocks (as after three flushes), two of them early, one an hour later.
  const shared = makeEntries(1, { seed: 42 })[0];
  const part = (bytes: string, startSeconds: number): TraceEntry => ({
    ...shared, trace: new TextEncoder().encode(bytes), startUnixNano: startSeconds * 1e9, endUnixNano: startSeconds * 1e9 + 1e9,
  });
  const withPart = (entries: TraceEntry[], p: TraceEntry) =>
    [...entries, p].sort((a, b) => Buffer.compare(a.traceId, b.traceId));

  beforeEach(async () => {
    tmp = await makeTempStore();
    blocks = new BlockList();
    const specs: [string, string, number][] = [['b1', 'part one', T0], ['b2', 'part two', T0 + 100], ['b3', 'part three', T0 + 3600]];
    for (const [blockID, bytes, start] of specs) {
      const entries = withPart(makeEntries(50, { seed: start, startSeconds: start }), part(bytes, start));
      blocks.add(await writeBlock(tmp.store, { tenantID: 't', blockID, entries, bloomFalsePositive: 0.01 }));
    }
  });
  afterEach(async () => tmp.dispose());

  const decode = (parts: Uint8Array[]) => parts.map((p) => new TextDecoder().decode(p)).sort();

  it('returns the parts of a trace from every block that holds it', async () => {
    const db = new TraceDb({ blocks, reader: new BlockReader(tmp.store) });
    assert.deepEqual(decode(await db.findTraceById('t', shared.traceId)), ['part one', 'part three', 'part two']);
  });

  it('reads only blocks whose time range overlaps the query range', async () => {
    const store = new RecordingStore(tmp.store);
    const db = new TraceDb({ blocks, reader: new BlockReader(store) });
    const parts = await db.findTraceById('t', shared.traceId, { start: T0 + 3000, end: T0 + 4000 });
    assert.deepEqual(decode(parts), ['part three']);
    assert.deepEqual(store.calls.filter((c) => !c.includes('/b3/')), []);
  });

  it('returns nothing for absent IDs, unknown tenants and ranges without blocks', async () => {
    const db = new TraceDb({ blocks, reader: new BlockReader(tmp.store) });
    for (const id of absentIds(200)) assert.deepEqual(await db.findTraceById('t', id), []);
    assert.deepEqual(await db.findTraceById('other', shared.traceId), []);
    assert.deepEqual(await db.findTraceById('t', shared.traceId, { start: T0 - 100, end: T0 - 1 }), []);
  });

  it('still reads blocks compacted within the lookback, not older ones', async () => {
    const now = Date.parse('2024-01-01T12:00:00Z');
    const compacted = (blockID: string, compactedTime: string) => ({ ...blocks.forTenant('t').find((m) => m.blockID === blockID)!, compactedTime });
    blocks.replace('t', blocks.forTenant('t').filter((m) => m.blockID === 'b1'), {
      compacted: [compacted('b2', '2024-01-01T11:59:00Z'), compacted('b3', '2024-01-01T11:58:59Z')],
    });
    const db = new TraceDb({ blocks, reader: new BlockReader(tmp.store), compactedLookbackMs: 60_000, now: () => now });
    assert.deepEqual(decode(await db.findTraceById('t', shared.traceId)), ['part one', 'part two']);
  });

  it('refuses a trace ID that is not 16 bytes', async () => {
    const db = new TraceDb({ blocks, reader: new BlockReader(tmp.store) });
    await assert.rejects(db.findTraceById('t', new Uint8Array(8)), BadRequestError);
  });

  it('fails the lookup when a live block has lost an object', async () => {
    await tmp.store.delete('t/b2/data');
    const db = new TraceDb({ blocks, reader: new BlockReader(tmp.store) });
    await assert.rejects(db.findTraceById('t', shared.traceId), /block t\/b2: object data is missing/);
  });

  it('skips a compacted block deleted before the list learnt of it', async () => {
    const now = Date.parse('2024-01-01T12:00:00Z');
    const b2 = blocks.forTenant('t').find((m) => m.blockID === 'b2')!;
    blocks.replace('t', blocks.forTenant('t').filter((m) => m.blockID !== 'b2'), {
      compacted: [{ ...b2, compactedTime: '2024-01-01T11:59:30Z' }],
    });
    for (const name of ['data', 'index', 'bloom-0', 'meta.json']) await tmp.store.delete(`t/b2/${name}`);
    const db = new TraceDb({ blocks, reader: new BlockReader(tmp.store), compactedLookbackMs: 60_000, now: () => now });
    assert.deepEqual(decode(await db.findTraceById('t', shared.traceId)), ['part one', 'part three']);
  });
});

describe('loadBlockList', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  it('finds the complete blocks of every tenant and ignores those without meta.json', async () => {
    const write = (tenantID: string, blockID: string) =>
      writeBlock(tmp.store, { tenantID, blockID, entries: makeEntries(5), bloomFalsePositive: 0.01 });
    await write('t1', 'a');
    await write('t1', 'b');
    await write('t2', 'c');
    await write('t2', 'unfinished');
    await tmp.store.delete('t2/unfinished/meta.json');
    const list = await loadBlockList(tmp.store);
    assert.deepEqual(list.tenants().sort(), ['t1', 't2']);
    assert.deepEqual(list.forTenant('t1').map((m) => m.blockID).sort(), ['a', 'b']);
    assert.deepEqual(list.forTenant('t2').map((m) => m.blockID), ['c']);
  });
});
