import assert from 'node:assert/strict';
import { RowGroupBuilder } from '../../../backend/block/row-group-builder.ts';
import { encodeRowGroupIndex, RowGroupIndex, type RowGroupRef } from '../../../backend/block/row-group-index.ts';
import type { RowGroupSummary } from '../../../backend/block/row-group-summary.ts';
import { INDEX_NAME, blockObjectKey } from '../../../backend/block/block-layout.ts';
import type { TraceEntry } from '../../../backend/block/block-meta.ts';
import { compareTraceIds } from '../../../backend/block/trace-id.ts';
import { makeRandom, makeTempStore, type TempStore } from './block-fixtures.ts';
import { encodeTracesData } from './otlp-semantics.ts';
import { traceWithOddAttribute } from './otlp-edge-cases.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { resourceServiceNames } from '../../../backend/block/resource-service-names.ts';
import { bloomMayHold, stringHash } from '../../../backend/block/string-bloom.ts';
import { ProtoReader } from '../../../pipeline/otlp/proto-reader.ts';

const TRACE_ID = Buffer.from('0000000000000000000000000000abcd', 'hex');

type Attr = { key: string; value?: Record<string, unknown> };

function span(n: number, o: { kind?: number; code?: number; start?: string; end?: string; attributes?: Attr[] }): Record<string, unknown> {
  return {
    traceId: TRACE_ID.toString('base64'), spanId: Buffer.from(`000000000000000${n}`, 'hex').toString('base64'), name: `s${n}`,
    kind: o.kind ?? 0, startTimeUnixNano: o.start ?? '1700000000000000000', endTimeUnixNano: o.end ?? '1700000000000001000',
    ...(o.code === undefined ? {} : { status: { code: o.code } }), attributes: o.attributes ?? [],
  };
}

function summaryOf(...traces: Uint8Array[]): RowGroupSummary | undefined {
  const builder = new RowGroupBuilder();
  for (const trace of traces) builder.add(TRACE_ID, trace);
  builder.finish();
  return builder.summary();
}

function trace(spans: Record<string, unknown>[]): Uint8Array {
  return encodeTracesData({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

/** Well-formed traces of three spans with an int attribute, sorted by ID. */
function modelledEntries(count: number): TraceEntry[] {
  const random = makeRandom(5);
  return Array.from({ length: count }, (_, i): TraceEntry => {
    const traceId = random(16);
    const spans = [1, 2, 3].map((n) => ({ ...span(n, { kind: n, code: n - 1, attributes: [{ key: 'n', value: { intValue: String(i * n) } }] }), traceId: Buffer.from(traceId).toString('base64') }));
    return { traceId, trace: trace(spans), spanCount: 3, startUnixNano: 1.7e18, endUnixNano: 1.7e18 + 1000 };
  }).sort((a, b) => compareTraceIds(a.traceId, b.traceId));
}

describe('RowGroupBuilder summary', () => {
  it('gives the span duration range, and the statuses and kinds present', () => {
    const s = summaryOf(trace([
      span(1, { kind: 2, start: '1700000000000000000', end: '1700000000000000500' }),
      span(2, { kind: 3, code: 2, start: '1700000000000000000', end: '1700000005000000000' }),
      span(3, { code: 0, start: '1700000000000000000', end: '1700000000000000000' }),
    ]))!;
    assert.deepEqual(s.duration, { min: 0, max: 5e9 });
    // status column values: 0 none, 1 + code
    assert.equal(s.statuses, 0b1011);
    assert.equal(s.kinds, 0b1101);
  });

  it('gives the tags and number ranges of attributes holding more than strings', () => {
    const s = summaryOf(trace([
      span(1, { attributes: [{ key: 'code', value: { intValue: '-7' } }, { key: 'name', value: { stringValue: 'a' } }, { key: 'ratio', value: { doubleValue: 0.5 } }] }),
      span(2, { attributes: [{ key: 'code', value: { intValue: '9007199254740993' } }, { key: 'ratio', value: { doubleValue: -1.25 } }, { key: 'flag', value: { boolValue: true } }] }),
      span(3, { attributes: [{ key: 'code', value: { stringValue: 'x' } }, { key: 'code' }] }),
    ]))!;
    assert.deepEqual([...s.attributes.keys()].sort(), ['span.attr:code', 'span.attr:flag', 'span.attr:ratio']);
    assert.deepEqual(s.attributes.get('span.attr:code'), { tags: 0b10101, ints: { min: -7, max: 9007199254740992 } });
    assert.deepEqual(s.attributes.get('span.attr:ratio'), { tags: 0b100000, doubles: { min: -1.25, max: 0.5 } });
    assert.deepEqual(s.attributes.get('span.attr:flag'), { tags: 0b1000 });
  });

  it('widens a double range holding NaN to everything', () => {
    const s = summaryOf(trace([span(1, { attributes: [{ key: 'r', value: { doubleValue: 'NaN' } }] }), span(2, { attributes: [{ key: 'r', value: { doubleValue: 2 } }] })]))!;
    assert.deepEqual(s.attributes.get('span.attr:r')?.doubles, { min: -Infinity, max: Infinity });
  });

  it('leaves the durations unknown when one wraps around 64 bits', () => {
    const s = summaryOf(trace([span(1, {}), span(2, { start: '1700000000000000001', end: '1700000000000000000' })]))!;
    assert.equal(s.duration, undefined);
    assert.equal(s.statuses, 1);
  });

  it('gives no summary when a trace or span is kept as bytes', () => {
    assert.equal(summaryOf(trace([span(1, {})]), new Uint8Array([0xff, 0xff])), undefined);
    assert.equal(summaryOf(traceWithOddAttribute('0000000000000000000000000000abcd').trace), undefined);
  });
});

describe('RowGroupIndex summaries', () => {
  let tmp: TempStore;
  let groups: RowGroupRef[];

  before(async () => {
    tmp = await makeTempStore();
    const meta = await writeBlock(tmp.store, { tenantID: 't', blockID: 'b', entries: modelledEntries(300), bloomFalsePositive: 0.01, pageSize: 16 * 1024 });
    const index = new RowGroupIndex(await tmp.store.get(blockObjectKey('t', meta.blockID, INDEX_NAME)));
    assert.equal(index.version, 2);
    groups = Array.from({ length: index.groupCount }, (_, g) => index.group(g));
  });
  after(() => tmp.dispose());

  it('writes version 2 with a summary per modelled row group, read back as written', () => {
    assert.ok(groups.length > 3 && groups.every((g) => g.summary !== undefined));
    const again = new RowGroupIndex(encodeRowGroupIndex(groups));
    assert.deepEqual(Array.from({ length: again.groupCount }, (_, g) => again.group(g)), groups);
  });

  it('still reads version 1, without summaries', () => {
    const v1 = new RowGroupIndex(encodeRowGroupIndex(groups, 1));
    assert.equal(v1.version, 1);
    const read = Array.from({ length: v1.groupCount }, (_, g) => v1.group(g));
    assert.deepEqual(read, groups.map(({ summary: _, ...rest }) => rest));
  });

  it('keeps a summary naming a column the group lacks, and refuses an unknown version', () => {
    const summary: RowGroupSummary = { duration: undefined, statuses: 1, kinds: 1, attributes: new Map([['span.attr:x', { tags: 8 }]]) };
    const bytes = encodeRowGroupIndex([{ ...groups[0], summary }]);
    assert.deepEqual(new RowGroupIndex(bytes).group(0).summary, summary);
    // A version 3 index is refused.
    const other = bytes.slice();
    other[4] = 3;
    assert.throws(() => new RowGroupIndex(other), /unsupported row group index version 3/);
  });
});

describe('RowGroupBuilder summary blooms', () => {
  const withResource = (attributes: Attr[], spans: Record<string, unknown>[]): Uint8Array =>
    encodeTracesData({ resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans }] }] });

  it('holds the span names and the resources\' service names', () => {
    const s = summaryOf(
      withResource([{ key: 'service.name', value: { stringValue: 'cart' } }], [span(1, {}), { ...span(2, {}), name: 'héllo ✓' }]),
      withResource([{ key: 'host', value: { stringValue: 'db' } }, { key: 'service.name', value: { stringValue: 'db' } }], [span(3, {})]),
    )!;
    for (const name of ['s1', 'héllo ✓', 's3']) assert.ok(bloomMayHold(s.names!, stringHash(name)), name);
    for (const name of ['cart', 'db']) assert.ok(bloomMayHold(s.services!, stringHash(name)), name);
    const absent = ['s2', 's4', 'nope', 'render', 'GET /cart', 'frontend'].filter((n) => bloomMayHold(s.services!, stringHash(n)) || bloomMayHold(s.names!, stringHash(n)));
    assert.ok(absent.length <= 1, absent.join());
  });

  it('has no service bloom when a service.name is an array, and no name bloom for too many names', () => {
    const array = summaryOf(withResource([{ key: 'service.name', value: { arrayValue: { values: [{ stringValue: 'cart' }] } } }], [span(1, {})]))!;
    assert.equal(array.services, undefined);
    assert.ok(array.names !== undefined);
    const many = summaryOf(trace(Array.from({ length: 600 }, (_, i) => ({ ...span(1, {}), name: `n${i}` }))))!;
    assert.equal(many.names, undefined);
  });
});

describe('resourceServiceNames', () => {
  it('gives every string value of service.name keys, and nothing for other keys', () => {
    const entry = encodeResourceSpans([{ key: 'service.name', value: { stringValue: 'a' } }, { key: 'x', value: { stringValue: 'b' } }, { key: 'service.name', value: { intValue: '3' } }, { key: 'service.name', value: { stringValue: 'c' } }]);
    assert.deepEqual(resourceServiceNames(entry), ['a', 'c']);
    assert.deepEqual(resourceServiceNames(encodeResourceSpans([])), []);
  });

  it('gives undefined for an entry that does not parse', () => {
    assert.equal(resourceServiceNames(new Uint8Array([0x0a, 0x05, 0x0a])), undefined);
  });
});

/** A dict.resource entry: the ResourceSpans' resource field. */
function encodeResourceSpans(attributes: Attr[]): Uint8Array {
  const bytes = encodeTracesData({ resourceSpans: [{ resource: { attributes } }] });
  // TracesData field 1 (tag, length) around the ResourceSpans.
  const r = new ProtoReader(bytes);
  r.tag();
  return r.bytes();
}
