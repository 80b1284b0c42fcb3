import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { BlockMeta, TraceEntry } from '../../../backend/block/block-meta.ts';
import { BlockList } from '../../../backend/db/block-list.ts';
import { BlockSearchSource } from '../../../backend/querier/block-search-source.ts';
import type { TimeRange } from '../../../backend/querier/trace-source.ts';
import { tagFilter } from '../../../backend/search/tag-filter.ts';
import { parseTagIdentifier } from '../../../backend/search/tag-identifier.ts';
import { TagSearch } from '../../../backend/search/tag-search.ts';
import { ATTRIBUTE_SCOPES, type TagScan } from '../../../backend/search/tag-service.ts';
import type { FieldRef } from '../../../backend/traceql/ast.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';
import { compareTraceIds } from '../../../backend/block/trace-id.ts';
import { otlpJsonRequest } from '../../integration/search/search-corpus.ts';
import { generateRichCorpus } from '../../integration/search/rich-corpus.ts';
import { makeTempStore, RecordingStore, type TempStore } from '../block/block-fixtures.ts';
import { scanEntries, writeScanBlock } from './scan-corpus.ts';

const logger = pino({ level: 'silent' });
const TENANT = 't';
const NOW_S = 1_750_000_000;
const POS = { offset: 0, line: 1, column: 1 };

const INTRINSICS = ['name', 'statusMessage', 'rootName', 'rootServiceName', 'trace:id', 'span:id', 'span:parentID', 'childCount',
  'instrumentation:name', 'instrumentation:version', 'event:name', 'link:traceID', 'link:spanID'];

const RANGES: Record<string, TimeRange | undefined> = {
  all: undefined,
  recent: { start: NOW_S - 3600, end: NOW_S + 600 },
  old: { start: NOW_S - 4 * 3600, end: NOW_S - 2 * 3600 },
};

const QUERIES = ['{ resource.service.name = "db" && status = error }', '{ span.foo = "bar" }', '{ .http.status_code >= 500 }',
  '{ resource.service.name = "frontend" } >> { kind = client }'];

function richEntries(traces: number, seed: number): TraceEntry[] {
  return generateRichCorpus({ traces, seed, nowMs: NOW_S * 1000, oldEvery: 5 }).map((spans) => {
    const trace = otlpJsonToProtobuf(otlpJsonRequest(spans));
    const model = traceModel(trace);
    return {
      traceId: Buffer.from(model.traceId, 'hex'), trace, spanCount: model.spans.length,
      startUnixNano: Number(model.startUnixNano), endUnixNano: Number(model.endUnixNano),
    };
  }).sort((a, b) => compareTraceIds(a.traceId, b.traceId));
}

/**
 * Keys that are not UTF-8 (two that read as one name, one span holding both), a resource key given twice,
 * and a resource whose only ScopeSpans has no span (its names are on no span).
 */
function oddKeyEntry(traceIdHex: string, service = 'odd'): TraceEntry {
  const w = new ProtoWriter();
  const kv = (key: Uint8Array, value: (w: ProtoWriter) => void, field = 9): void => {
    const m = w.beginMessage(field);
    w.tag(1, 2);
    w.bytes(key);
    const v = w.beginMessage(2);
    value(w);
    w.endMessage(v);
    w.endMessage(m);
  };
  const text = (s: string) => (x: ProtoWriter) => { x.tag(1, 2); x.string(s); };
  const int = (n: number) => (x: ProtoWriter) => { x.tag(3, 0); x.int64(n); };
  const startNs = BigInt(NOW_S - 30) * 1_000_000_000n;
  const span = (n: number, attrs: () => void): void => {
    const m = w.beginMessage(2);
    w.tag(1, 2);
    w.bytes(Buffer.from(traceIdHex, 'hex'));
    w.tag(2, 2);
    w.bytes(Buffer.from(`00000000000000${n}1`, 'hex'));
    w.tag(5, 2);
    w.string(`odd ${n}`);
    w.tag(7, 1);
    w.fixed64(startNs);
    w.tag(8, 1);
    w.fixed64(startNs + 1_000_000n);
    attrs();
    w.endMessage(m);
  };
  let rs = w.beginMessage(1);
  let resource = w.beginMessage(1);
  kv(Buffer.from('service.name'), text(service), 1);
  kv(Buffer.from('dup.key'), int(1), 1);
  kv(Buffer.from('dup.key'), int(2), 1);
  w.endMessage(resource);
  let ss = w.beginMessage(2);
  span(1, () => {
    kv(Buffer.from([0xff, 0x61]), text('a'));
    kv(Buffer.from([0xfe, 0x61]), int(5));
  });
  span(2, () => kv(Buffer.from([0xfe, 0x61]), text('b')));
  w.endMessage(ss);
  w.endMessage(rs);
  rs = w.beginMessage(1);
  resource = w.beginMessage(1);
  kv(Buffer.from('lonely.attr'), text('nobody'), 1);
  w.endMessage(resource);
  ss = w.beginMessage(2);
  w.endMessage(ss);
  w.endMessage(rs);
  const trace = new Uint8Array(w.finish());
  const model = traceModel(trace);
  return {
    traceId: Buffer.from(traceIdHex, 'hex'), trace, spanCount: model.spans.length,
    startUnixNano: Number(model.startUnixNano), endUnixNano: Number(model.endUnixNano),
  };
}

describe('tag names and values from block columns (TagSearch over blocks)', function () {
  this.timeout(60_000);
  let temp: TempStore;
  let store: RecordingStore;
  let reference: TagSearch;
  let columns: TagSearch;
  const list = new BlockList();

  before(async function () {
    temp = await makeTempStore();
    store = new RecordingStore(temp.store);
    const blocks: BlockMeta[] = [
      // Odd traces: spans and traces kept as bytes, keys that are not UTF-8, keys without values, arrays, bytes.
      await writeScanBlock(temp.store, [...scanEntries(240, 5), oddKeyEntry('ffff0000000000000000000000000001')], '00000000-0000-0000-0000-00000000000a', 'tl2', 16 * 1024),
      await writeScanBlock(temp.store, richEntries(200, 77), '00000000-0000-0000-0000-00000000000b', 'tl2', 24 * 1024),
      await writeScanBlock(temp.store, scanEntries(60, 9, false), '00000000-0000-0000-0000-00000000000c', 'tl1'),
    ];
    for (const meta of blocks) list.add(meta);
    reference = new TagSearch({ sources: [new BlockSearchSource({ blocks: list, store: temp.store })], logger });
    columns = new TagSearch({ sources: [], blocks: { list, store }, logger });
  });

  after(async function () {
    await temp?.dispose();
  });

  function scan(range: string, q = ''): TagScan {
    return { filter: tagFilter(q), range: RANGES[range] };
  }

  /** Every attribute of every scope the reference finds, unscoped span names too, and the intrinsics with values. */
  async function fields(): Promise<FieldRef[]> {
    const { names } = await reference.tagNames(TENANT, scan('all'));
    const out: FieldRef[] = INTRINSICS.map(parseTagIdentifier);
    for (const scope of ATTRIBUTE_SCOPES) for (const name of names[scope]) out.push({ kind: 'attribute', scope, name, pos: POS });
    for (const name of names.span) out.push({ kind: 'attribute', scope: 'none', name, pos: POS });
    out.push({ kind: 'attribute', scope: 'span', name: 'absent.key', pos: POS });
    return out;
  }

  it('has blocks with several row groups, every scope of names, and non-UTF-8 keys', async function () {
    const { names } = await reference.tagNames(TENANT, scan('all'));
    for (const scope of ATTRIBUTE_SCOPES) assert.ok(names[scope].length > 0, scope);
    assert.ok(names.span.includes('\ufffda'), 'a key that is not UTF-8');
    assert.ok(names.resource.includes('dup.key') && !names.resource.includes('lonely.attr'));
    assert.ok(list.forTenant(TENANT).filter((m) => m.format === 'tl2').length === 2);
  });

  for (const range of Object.keys(RANGES)) {
    it(`lists the same names as decoding every trace (range ${range})`, async function () {
      assert.deepEqual((await columns.tagNames(TENANT, scan(range))).names, (await reference.tagNames(TENANT, scan(range))).names);
    });

    it(`answers the same values of every attribute and intrinsic as decoding every trace (range ${range})`, async function () {
      for (const field of await fields()) {
        const got = await columns.tagValues(TENANT, field, scan(range));
        const want = await reference.tagValues(TENANT, field, scan(range));
        assert.deepEqual(got.values, want.values, JSON.stringify(field));
      }
    });
  }

  it('answers the same names and values for spans matching q (no trace is split over blocks)', async function () {
    const valueFields = [parseTagIdentifier('name'), parseTagIdentifier('span.http.status_code'), parseTagIdentifier('resource.service.name')];
    for (const q of QUERIES) {
      for (const range of Object.keys(RANGES)) {
        const want = await reference.tagNames(TENANT, scan(range, q));
        assert.deepEqual((await columns.tagNames(TENANT, scan(range, q))).names, want.names, `${q} ${range}`);
        for (const field of valueFields) {
          assert.deepEqual((await columns.tagValues(TENANT, field, scan(range, q))).values, (await reference.tagValues(TENANT, field, scan(range, q))).values);
        }
      }
    }
  });

  it('reads a fraction of the data for names and for one attribute\'s values (1 MiB row groups)', async function () {
    const big = new BlockList();
    big.add(await writeScanBlock(temp.store, richEntries(3000, 78), '00000000-0000-0000-0000-00000000000d', 'tl2'));
    const size = big.forTenant(TENANT)[0]!.size;
    const tl2Only = new TagSearch({ sources: [], blocks: { list: big, store }, logger });
    const names = await tl2Only.tagNames(TENANT, scan('all'));
    const values = await tl2Only.tagValues(TENANT, parseTagIdentifier('span.http.status_code'), scan('all'));
    assert.ok(names.inspectedBytes > 0 && names.inspectedBytes < size / 2, `${names.inspectedBytes} of ${size}`);
    assert.ok(values.inspectedBytes > 0 && values.inspectedBytes < size / 2, `${values.inspectedBytes} of ${size}`);
  });

  it('adds the live sources\' traces to the blocks\' (names and values of both)', async function () {
    const live = oddKeyEntry('eeee0000000000000000000000000002', 'live-only');
    const both = new TagSearch({
      sources: [{ searchCandidates: async (_t, _r, visit) => visit(live.traceId, live.trace) }], blocks: { list, store }, logger,
    });
    const names = (await both.tagNames(TENANT, scan('all'))).names;
    assert.deepEqual(names, (await columns.tagNames(TENANT, scan('all'))).names);
    const services = await both.tagValues(TENANT, parseTagIdentifier('resource.service.name'), scan('all'));
    const blocksOnly = await columns.tagValues(TENANT, parseTagIdentifier('resource.service.name'), scan('all'));
    assert.deepEqual(services.values, [...blocksOnly.values, { type: 'string', value: 'live-only' }].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)));
  });

  it('stops reading row groups once limit values are held, and answers held values only', async function () {
    const field = parseTagIdentifier('span:id');
    const all = await columns.tagValues(TENANT, field, scan('all'));
    const limited = await columns.tagValues(TENANT, field, { ...scan('all'), limit: 5 });
    assert.ok(limited.values.length >= 5 && limited.values.length < all.values.length);
    const known = new Set(all.values.map((v) => v.value));
    assert.ok(limited.values.every((v) => known.has(v.value)));
    assert.ok(limited.inspectedBytes < all.inspectedBytes);
  });
});
