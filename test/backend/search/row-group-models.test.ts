import assert from 'node:assert/strict';
import { blockObjectKey, DATA_NAME } from '../../../backend/block/block-layout.ts';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { RowGroupFrames } from '../../../backend/block/row-group-frames.ts';
import { RowGroupReader } from '../../../backend/block/row-group-reader.ts';
import { spanLayout } from '../../../backend/search/row-group-layout.ts';
import { RowGroupModels } from '../../../backend/search/row-group-models.ts';
import { searchIndex } from '../../../backend/search/search-index-cache.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import { makeTempStore, type TempStore } from '../block/block-fixtures.ts';
import { bigTrace } from '../block/otlp-edge-cases.ts';
import { encodeTracesData } from '../block/otlp-semantics.ts';

const RICH_ID = '000000000000000000000000000000ee';
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const values = [
  { key: 'str', value: { stringValue: 'héllo ✓' } }, { key: 'bool', value: { boolValue: true } },
  { key: 'int.min', value: { intValue: '-9223372036854775808' } }, { key: 'int.max', value: { intValue: '9223372036854775807' } },
  { key: 'dbl', value: { doubleValue: 19.99 } }, { key: 'nan', value: { doubleValue: NaN } }, { key: 'negzero', value: { doubleValue: -0 } },
  { key: 'pi', value: { doubleValue: Math.PI } }, { key: 'bytes', value: { bytesValue: b64('00ff') } },
  { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { arrayValue: {} }, {}] } } },
  { key: 'kvlist', value: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }] } } },
  { key: 'empty.any', value: {} }, { key: 'no.value' }, { key: '', value: { stringValue: 'empty key' } },
  { key: 'str', value: { intValue: '7' } },
];

/** Every modelled span field (events, links, scope, status, parents of each kind), no span kept as bytes. */
function richTrace(): Uint8Array {
  const traceId = b64(RICH_ID);
  const id = (n: number) => b64(n.toString(16).padStart(16, '0'));
  return encodeTracesData({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rich' } }, ...values] },
      scopeSpans: [
        {
          scope: { name: 'io.test', version: '1.0', attributes: [{ key: 'scope.attr', value: { intValue: '-1' } }] },
          spans: [
            {
              traceId, spanId: id(1), name: 'root', kind: 2, startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000987654321',
              attributes: values, status: { code: 2, message: 'boom' },
              events: [
                { timeUnixNano: '1700000000200000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }] },
                { name: 'no time' }, { timeUnixNano: '1600000000000000000', name: 'before the span' },
              ],
              links: [{ traceId: b64('aabbccddeeff00112233445566778899'), spanId: id(99), attributes: [{ key: 'l', value: { boolValue: true } }] }],
            },
            { traceId, spanId: id(2), parentSpanId: id(1), status: {}, startTimeUnixNano: '1700000000500000000', endTimeUnixNano: '1700000000400000000' },
            { traceId, spanId: id(3), parentSpanId: id(12345), kind: 3, status: { message: 'no code' } },
            { traceId, spanId: id(4), parentSpanId: id(0), name: 'zero parent' },
          ],
        },
        { spans: [{ traceId, spanId: id(5), parentSpanId: id(3), name: 'no scope' }] },
      ],
    }, { scopeSpans: [{ spans: [{ traceId, spanId: id(6), name: 'no resource' }] }] }],
  });
}
import { scanEntries, writeScanBlock } from './scan-corpus.ts';

const TREE_ID = '000000000000000000000000000000dd';

/** Parent links the engine has to untangle: a cycle, a span its own parent, a repeated span ID, a zero span ID. */
function tangledTrace(): Uint8Array {
  const traceId = b64(TREE_ID);
  const id = (n: number) => b64(n.toString(16).padStart(16, '0'));
  const span = (n: number, parent: number | undefined, name: string) => ({
    traceId, spanId: id(n), ...(parent === undefined ? {} : { parentSpanId: id(parent) }), name,
    startTimeUnixNano: String(1_700_000_000_000_000_000 + n * 1000), endTimeUnixNano: String(1_700_000_000_000_000_000 + n * 5000),
  });
  return encodeTracesData({
    resourceSpans: [{
      scopeSpans: [{
        spans: [
          span(1, 2, 'cycle a'), span(2, 1, 'cycle b'), span(3, 3, 'own parent'), span(4, 1, 'below the cycle'),
          span(5, undefined, 'first of an id'), span(5, 4, 'second of an id'), span(6, 5, 'child of the id'),
          span(0, undefined, 'zero id'), span(7, 0, 'child of the zero id'), span(8, undefined, 'root'),
        ],
      }],
    }],
  });
}

const SPAN_FIELDS = [
  'traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'statusCode', 'statusMessage', 'startUnixNano', 'endUnixNano',
  'resource', 'scopeName', 'scopeVersion', 'scopeAttributes', 'events', 'links', 'index', 'durationNanos',
] as const;

const LOOKUPS = [...values.map((v) => v.key), 'http.status_code', 'foo', 'missing'];

/** Every field of the model as plain data (spans are read through their getters; links as span indexes). */
function plain(trace: TraceModel): unknown {
  const spans = trace.spans.map((s) => ({
    ...Object.fromEntries(SPAN_FIELDS.map((f) => [f, s[f]])),
    // Single lookups first: a column model answers them without building the whole map.
    lookups: LOOKUPS.map((k) => [s.attributes.has(k), s.attributes.get(k)]),
    attributes: [...s.attributes], size: s.attributes.size,
    parent: s.parent?.index, children: s.children.map((c) => c.index),
  }));
  return {
    traceId: trace.traceId, spans, root: trace.root?.index, startUnixNano: trace.startUnixNano, endUnixNano: trace.endUnixNano,
    durationNanos: trace.durationNanos, preorder: trace.preorder.map((s) => s.index),
  };
}

describe('RowGroupModels', () => {
  let tmp: TempStore;
  let meta: BlockMeta;

  before(async () => {
    tmp = await makeTempStore();
    const entries = scanEntries(600, 3);
    const big = bigTrace('000000000000000000000000000000ff', 300);
    entries.unshift({ traceId: Buffer.from('000000000000000000000000000000ff', 'hex'), trace: big, startUnixNano: 1.7e18, endUnixNano: 1.7e18 + 1e9, spanCount: 300 });
    entries.unshift({ traceId: Buffer.from(RICH_ID, 'hex'), trace: richTrace(), startUnixNano: 1.7e18, endUnixNano: 1.7e18 + 1e9, spanCount: 6 });
    entries.unshift({ traceId: Buffer.from(TREE_ID, 'hex'), trace: tangledTrace(), startUnixNano: 1.7e18, endUnixNano: 1.7e18 + 1e9, spanCount: 10 });
    meta = await writeScanBlock(tmp.store, entries, '00000000-0000-0000-0000-00000000000a', 'tl2', 8 * 1024);
  });
  after(() => tmp.dispose());

  it('builds every modelled trace exactly as decoding the rebuilt trace does, leaving out only odd ones', async () => {
    const { index } = await searchIndex(tmp.store, meta);
    const key = blockObjectKey(meta.tenantID, meta.blockID, DATA_NAME);
    let built = 0;
    let rich = false;
    let tangled = false;
    let left = 0;
    for (let g = 0; g < index.groupCount; g++) {
      const group = index.group(g);
      const frames = new RowGroupFrames((offset, length) => tmp.store.getRange(key, offset, length), group);
      await frames.load();
      const columns = frames.columns();
      const models = new RowGroupModels(columns, spanLayout(columns, group.traces));
      const cursor = new RowGroupReader(columns).cursor();
      for (let t = 0; t < group.traces; t++) {
        const expected = traceModel(cursor.next());
        const model = models.model(t);
        if (model === undefined) {
          left++;
          continue;
        }
        built++;
        rich ||= model.traceId === RICH_ID;
        tangled ||= model.traceId === TREE_ID && model.preorder.length === 10;
        assert.deepStrictEqual(plain(model), plain(expected), `group ${g} trace ${t}`);
      }
    }
    assert.ok(index.groupCount > 3, `${index.groupCount} row groups`);
    assert.equal(left, 2, 'the edge trace and the trace with an odd attribute');
    assert.ok(built > 600, `${built} built`);
    assert.ok(rich, 'the trace with every modelled field was built');
    assert.ok(tangled, 'the trace with tangled parents was built');
  });
});
