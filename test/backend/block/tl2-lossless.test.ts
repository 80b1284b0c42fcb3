import assert from 'node:assert/strict';
import { makeCorpus } from '../../../bench/block-corpus.ts';
import { BlockIterator } from '../../../backend/block/block-iterator.ts';
import type { BlockMeta, TraceEntry } from '../../../backend/block/block-meta.ts';
import { ByteSource } from '../../../backend/block/byte-source.ts';
import { decodeColumns } from '../../../backend/block/row-group-data.ts';
import type { RowGroupColumns } from '../../../backend/block/row-group-reader.ts';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import { RowGroupIndex } from '../../../backend/block/row-group-index.ts';
import { compareTraceIds, traceIdToHex } from '../../../backend/block/trace-id.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { makeTempStore, type TempStore } from './block-fixtures.ts';
import { bigTrace, EDGE_TRACE_ID, edgeTrace, traceWithOddAttribute } from './otlp-edge-cases.ts';
import { semanticTrace } from './otlp-semantics.ts';

function entry(hex: string, trace: Uint8Array, spanCount = 1): TraceEntry {
  return { traceId: Buffer.from(hex, 'hex'), trace, startUnixNano: 1.7e18, endUnixNano: 1.7e18 + 1e9, spanCount };
}

async function rowGroupOf(tmp: TempStore, meta: BlockMeta, hex: string): Promise<RowGroupColumns> {
  const index = new RowGroupIndex(await tmp.store.get(`t/${meta.blockID}/index`));
  const group = index.group(index.find(Buffer.from(hex, 'hex')));
  return decodeColumns(await tmp.store.getRange(`t/${meta.blockID}/data`, group.offset, group.length), group);
}

/** Spans of a row group kept as their bytes: odd marks in span.rest. */
function rawSpans(rest: Uint8Array): number {
  const src = new ByteSource(rest);
  let raw = 0;
  while (!src.done()) {
    const mark = src.u();
    raw += mark % 2;
    src.take(Math.floor(mark / 2));
  }
  return raw;
}

function sorted(entries: TraceEntry[]): TraceEntry[] {
  return entries.sort((a, b) => compareTraceIds(a.traceId, b.traceId));
}

describe('tl2 blocks', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  it('give back every trace of the corpus semantically equal, by ID and by iteration', async () => {
    const { entries } = makeCorpus(15_000, 3);
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries, bloomFalsePositive: 0.01, pageSize: 64 * 1024 });
    assert.equal(meta.format, 'tl2');
    assert.ok(new RowGroupIndex(await tmp.store.get('t/b/index')).groupCount > 20);
    const reader = new BlockReader(tmp.store);
    for (const e of entries) {
      const found = await reader.findTrace(meta, e.traceId);
      assert.ok(found, traceIdToHex(e.traceId));
      assert.deepStrictEqual(semanticTrace(found), semanticTrace(e.trace), traceIdToHex(e.traceId));
    }
    const it = await BlockIterator.open(tmp.store, meta);
    let i = 0;
    for (let r = await it.next(); r !== undefined; r = await it.next(), i++) {
      assert.deepEqual(r.traceId, entries[i].traceId);
      assert.deepStrictEqual(semanticTrace(r.trace), semanticTrace(entries[i].trace));
    }
    assert.equal(i, entries.length);
  });

  it('keep every field, value type and odd arrangement of OTLP, unknown fields included', async () => {
    const { entries } = makeCorpus(2_000, 5);
    const edge = edgeTrace();
    const all = sorted([...entries, entry(EDGE_TRACE_ID, edge, 12)]);
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: all, bloomFalsePositive: 0.01 });
    const reader = new BlockReader(tmp.store);
    const found = await reader.findTrace(meta, Buffer.from(EDGE_TRACE_ID, 'hex'));
    assert.ok(found);
    const expected = semanticTrace(edge);
    assert.deepStrictEqual(semanticTrace(found), expected);
    // The checks the comparison rests on: it sees unknown fields, -0 and 64-bit extremes.
    const text = JSON.stringify(expected);
    for (const needle of ['"extraText":["unknown field","twice"]', '"extraNumber":"18446744073709551615"', '"-9223372036854775808"']) {
      assert.ok(text.includes(needle), needle);
    }
    // Modelled, not kept as bytes: only the three spans with a foreign, missing or short ID are.
    const columns = await rowGroupOf(tmp, meta, EDGE_TRACE_ID);
    assert.ok(columns.has('span.attr:dbl.nan') && columns.has('span.attr:'), [...columns.keys()].join());
    assert.equal(rawSpans(columns.get('span.rest')!), 3);
    // Neighbours in the same row group are unharmed.
    for (const e of entries) assert.deepStrictEqual(semanticTrace((await reader.findTrace(meta, e.traceId))!), semanticTrace(e.trace));
  });

  it('keep the parents of spans in a trace of thousands of spans', async () => {
    const hex = 'feedfacecafebeef0011223344556677';
    const trace = bigTrace(hex, 3000);
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: [entry(hex, trace, 3000)], bloomFalsePositive: 0.01 });
    const found = await new BlockReader(tmp.store).findTrace(meta, Buffer.from(hex, 'hex'));
    assert.ok(found);
    assert.deepStrictEqual(semanticTrace(found), semanticTrace(trace));
    const columns = await rowGroupOf(tmp, meta, hex);
    const parents = new ByteSource(columns.get('span.parent')!);
    let inTrace = 0;
    while (!parents.done()) if (parents.u() >= 2) inTrace++;
    assert.equal(inTrace, 2999);
  });

  it('keep a span the columns cannot represent as its exact bytes', async () => {
    const hex = '0123456789abcdef0123456789abcdef';
    const { trace, span } = traceWithOddAttribute(hex);
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: [entry(hex, trace)], bloomFalsePositive: 0.01 });
    const found = await new BlockReader(tmp.store).findTrace(meta, Buffer.from(hex, 'hex'));
    assert.ok(found && Buffer.from(found).indexOf(Buffer.from(span)) >= 0);
    assert.deepStrictEqual(semanticTrace(found), semanticTrace(trace));
  });

  it('keep a payload that is not a TracesData byte for byte', async () => {
    const junk = [
      entry('10'.repeat(16), new TextEncoder().encode('not protobuf at all')),
      entry('20'.repeat(16), Uint8Array.from([0x0a, 0x02, 0x12, 0x00, 0x18, 0x01])), // a field TracesData does not have
      entry('30'.repeat(16), Uint8Array.from([0x0a, 0x05, 0x12])), // cut short
      entry('40'.repeat(16), new Uint8Array(0)),
    ];
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: junk, bloomFalsePositive: 0.01 });
    const reader = new BlockReader(tmp.store);
    for (const e of junk) assert.deepEqual(await reader.findTrace(meta, e.traceId), e.trace);
  });
});
