import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { ROOT_NOT_RECEIVED, stripZeros, traceResult } from '../../../backend/search/trace-result.ts';
import { anyValueJson } from '../../../backend/search/any-value-json.ts';
import { buildTrace, spanId, type ResourceSpec } from '../traceql/trace-builder.ts';

const BASE = '1700000000000000000';
const TRACE: ResourceSpec[] = [
  {
    attrs: { 'service.name': 'shop' },
    spans: [
      { id: 'root', name: 'GET /', kind: 2, startMs: 0, durationMs: 1500, attrs: { 'http.status_code': 500 } },
      { id: 'c1', parent: 'root', name: 'q1', status: 2, startMs: 1, durationMs: 2, attrs: { foo: 'x', ratio: { double: 0.5 } } },
      { id: 'c2', parent: 'root', name: 'q2', status: 2, startMs: 2, durationMs: 3, attrs: { foo: 'y' } },
      { id: 'c3', parent: 'root', name: 'q3', status: 2, startMs: 3, durationMs: 4 },
    ],
  },
  { attrs: { 'service.name': 'db' }, spans: [{ id: 'd1', parent: 'c1', name: 'SELECT', status: 2, startMs: 5, durationMs: 1 }] },
];

function result(query: string, spss = 3, resources = TRACE, traceId?: string) {
  const [match] = evaluate(query, [buildTrace(resources, traceId)]);
  assert.ok(match !== undefined, 'the query matches');
  return traceResult(match, spss);
}

describe('traceResult', function () {
  it('shapes a trace as Tempo does: stripped ID, root, start and duration types', function () {
    const r = result('{ span.http.status_code = 500 }', 3, TRACE, '00000000000000000000000000abcdef');
    assert.equal(r.traceID, 'abcdef');
    assert.equal(r.rootServiceName, 'shop');
    assert.equal(r.rootTraceName, 'GET /');
    assert.equal(r.startTimeUnixNano, BASE);
    assert.equal(r.durationMs, 1500);
    assert.deepEqual(r.spanSet, r.spanSets![0]);
    assert.deepEqual(r.spanSets, [{
      matched: 1,
      spans: [{
        spanID: spanId('root'), name: 'GET /', startTimeUnixNano: BASE, durationNanos: '1500000000',
        attributes: [{ key: 'http.status_code', value: { intValue: '500' } }],
      }],
    }]);
    assert.deepEqual(r.serviceStats, { shop: { spanCount: 4, errorCount: 3 }, db: { spanCount: 1, errorCount: 1 } });
  });

  it('keeps the first spss spans and counts every match in matched', function () {
    const r = result('{ status = error }', 2);
    assert.equal(r.spanSets![0]!.matched, 4);
    assert.deepEqual(r.spanSets![0]!.spans.map((s) => s.name), ['q1', 'q2']);
    assert.deepEqual(r.spanSets![0]!.spans[0]!.attributes, [{ key: 'status', value: { stringValue: 'error' } }]);
  });

  it('names the root span as not yet received when the trace has none', function () {
    const r = result('{}', 3, [{ attrs: { 'service.name': 'db' }, spans: [{ id: 'x', parent: 'gone', name: 'orphan' }] }]);
    assert.equal(r.rootServiceName, ROOT_NOT_RECEIVED);
    assert.equal(r.rootTraceName, ROOT_NOT_RECEIVED);
  });

  it('omits durationMs under a millisecond', function () {
    const r = result('{}', 3, [{ spans: [{ id: 'x', durationMs: 0.5 }] }]);
    assert.equal('durationMs' in r, false);
    assert.equal(JSON.parse(JSON.stringify(r)).rootServiceName, undefined);
  });

  it('gives select()ed attributes without scope, durations as strings, and leaves name and duration out', function () {
    const r = result('{ name = "q1" && duration > 1ms } | select(span.foo, span.ratio)');
    assert.deepEqual(r.spanSets![0]!.spans[0]!.attributes, [
      { key: 'foo', value: { stringValue: 'x' } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
    ]);
    const d = result('{ span:duration > 1ms && traceDuration > 1s } | select(span:id)');
    assert.ok(d.spanSets![0]!.spans.every((s) => s.attributes?.every((a) => a.key !== 'duration' && a.key !== 'traceDuration')));
  });

  it('gives span-set attributes from by() and aggregates', function () {
    const r = result('{ status = error } | by(resource.service.name)');
    const keys = r.spanSets!.map((s) => s.attributes);
    assert.deepEqual(keys, [
      [{ key: 'by(resource.service.name)', value: { stringValue: 'shop' } }],
      [{ key: 'by(resource.service.name)', value: { stringValue: 'db' } }],
    ]);
    assert.deepEqual(r.spanSets!.map((s) => s.matched), [3, 1]);
  });
});

describe('anyValueJson', function () {
  it('writes every value type in gogo JSON', function () {
    assert.deepEqual(anyValueJson({ type: 'int', value: 42 }), { intValue: '42' });
    assert.deepEqual(anyValueJson({ type: 'float', value: 1.5 }), { doubleValue: 1.5 });
    assert.deepEqual(anyValueJson({ type: 'bool', value: true }), { boolValue: true });
    assert.deepEqual(anyValueJson({ type: 'duration', value: 1_200_000_000 }), { stringValue: '1.2s' });
    assert.deepEqual(anyValueJson({ type: 'kind', value: 'server' }), { stringValue: 'server' });
    assert.deepEqual(anyValueJson({ type: 'array', values: [{ type: 'string', value: 'a' }, { type: 'int', value: 2 }] }),
      { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } });
    assert.equal(anyValueJson({ type: 'nil' }), undefined);
    assert.equal(anyValueJson({ type: 'opaque', what: 'bytes' }), undefined);
  });

  it('omits zero values as jsonpb does', function () {
    assert.deepEqual(anyValueJson({ type: 'int', value: 0 }), {});
    assert.deepEqual(anyValueJson({ type: 'bool', value: false }), {});
    assert.deepEqual(anyValueJson({ type: 'string', value: '' }), {});
  });
});

describe('stripZeros', function () {
  it('drops leading zeros of a trace ID and lowercases it', function () {
    assert.equal(stripZeros('0000ABC0'), 'abc0');
  });
});
