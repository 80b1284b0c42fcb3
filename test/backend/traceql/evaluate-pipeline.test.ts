import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import type { TraceMatch } from '../../../backend/traceql/evaluate.ts';
import { ALL, run, T1 } from './fixture-traces.ts';

const CASES: Array<[string, string[]]> = [
  ['{ resource.service.name = "checkout" } | count() = 3', ['T1[POST /checkout,SELECT,publish]']],
  ['{ resource.service.name = "checkout" } | count() != 3', []],
  ['{ } | count() > 5', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]']],
  ['{ } | count() < 2', ['T2[cron]', 'T3[orphan]']],
  ['{ } | count() >= 1 | { name = "cron" }', ['T2[cron]']],
  ['{ } | avg(duration) > 500ms', ['T2[cron]']],
  ['{ } | avg(duration) < 69ms', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]', 'T3[orphan]']],
  ['{ } | max(duration) >= 200ms', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]', 'T2[cron]']],
  ['{ } | min(duration) = 1ms', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]', 'T3[orphan]']],
  ['{ } | sum(duration) = 479ms', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]']],
  ['{ } | sum(.rows) = 42', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]']],
  ['{ } | max(.ratio) > 0.5', ['T2[cron]']],
  ['{ .http.status_code != nil } | max(span.http.status_code) = 500', ['T1[GET /api/cart,checkout call]']],
  ['{ } | avg(.missing) > 0', []],
  ['{ } | by(resource.service.name) | count() > 2', ['T1[POST /checkout,SELECT,publish]']],
  ['{ } | by(kind) | count() = 2', ['T1[GET /api/cart,POST /checkout]', 'T1[checkout call,SELECT]']],
  ['{ } | by(span.http.method)', [
    'T1[GET /api/cart]', 'T1[checkout call,SELECT,publish,consume,internal work]', 'T1[POST /checkout]', 'T2[cron]', 'T3[orphan]']],
  ['{ } | by(resource.service.name) | avg(duration) > 100ms', ['T1[GET /api/cart,checkout call]', 'T2[cron]']],
  ['{ } | by(resource.service.name) | coalesce()', [
    'T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]', 'T2[cron]', 'T3[orphan]']],
  ['count() > 5 | { kind = server }', ['T1[GET /api/cart,POST /checkout]']],
  ['by(resource.service.name) | { kind = server }', ['T1[GET /api/cart]', 'T1[POST /checkout]', 'T3[orphan]']],
  ['{ kind = server } | select(span.http.method)', ['T1[GET /api/cart,POST /checkout]', 'T3[orphan]']],
  ['{ } | by(resource.service.name) | count() = 2 | { kind = server }', ['T1[GET /api/cart]']],
  ['({ kind = server } | by(resource.service.name)) && { name = "SELECT" }', ['T1[GET /api/cart,POST /checkout,SELECT]']],
];

describe('evaluate: pipelines', () => {
  for (const [query, expected] of CASES) {
    it(`${query} → ${expected.join(' ') || 'nothing'}`, () => assert.deepEqual(run(query), expected));
  }

  it('names the spanset attributes after by() and the aggregate', () => {
    const out = evaluate('{ } | by(resource.service.name) | count() > 1', [T1]);
    assert.deepEqual(out[0].spanSets.map((ss) => ss.attributes), [
      [{ key: 'by(resource.service.name)', value: { type: 'string', value: 'frontend' } }, { key: 'count()', value: { type: 'int', value: 2 } }],
      [{ key: 'by(resource.service.name)', value: { type: 'string', value: 'checkout' } }, { key: 'count()', value: { type: 'int', value: 3 } }],
      [{ key: 'by(resource.service.name)', value: { type: 'string', value: 'worker' } }, { key: 'count()', value: { type: 'int', value: 2 } }],
    ]);
  });

  it('gives aggregates their type: avg of durations is a duration, of numbers a float', () => {
    const dur = evaluate('{ resource.service.name = "frontend" } | avg(duration) > 1ms', [T1]);
    assert.deepEqual(dur[0].spanSets[0].attributes, [{ key: 'avg(duration)', value: { type: 'duration', value: 175e6 } }]);
    const num = evaluate('{ } | avg(.http.status_code) > 1', [T1]);
    assert.deepEqual(num[0].spanSets[0].attributes, [{ key: 'avg(.http.status_code)', value: { type: 'float', value: 350 } }]);
    const sum = evaluate('{ } | sum(.ratio) > 0', [T1]);
    assert.deepEqual(sum[0].spanSets[0].attributes, [{ key: 'sum(.ratio)', value: { type: 'float', value: 0.25 } }]);
  });

  it('puts spans without the by() value in a nil group', () => {
    const out = evaluate('{ kind = client } | by(span.db.system)', [T1]);
    assert.deepEqual(out[0].spanSets.map((ss) => [ss.spans.map((s) => s.span.name), ss.attributes[0].value]), [
      [['checkout call'], { type: 'nil' }],
      [['SELECT'], { type: 'string', value: 'postgres' }],
    ]);
  });

  it('reports on each span the attributes the conditions and select() name', () => {
    const out = evaluate(
      '{ span.http.status_code >= 200 && resource.service.name = "frontend" && status = unset && traceDuration > 1ms } | select(.http.route, name, .missing)',
      ALL,
    );
    assert.equal(out.length, 1);
    assert.deepEqual(fields(out[0]), [[
      'GET /api/cart',
      [
        ['span', 'http.status_code', { type: 'int', value: 200 }],
        ['resource', 'service.name', { type: 'string', value: 'frontend' }],
        ['intrinsic', 'status', { type: 'status', value: 'unset' }],
        ['span', 'http.route', { type: 'string', value: '/api/cart' }],
        ['intrinsic', 'name', { type: 'string', value: 'GET /api/cart' }],
      ],
    ]]);
  });

  it('names each attribute once even when several conditions use it', () => {
    const out = evaluate('{ .service.name = "worker" && .service.name =~ "w.*" && kind = consumer } | select(kind, span:kind)', [T1]);
    assert.deepEqual(fields(out[0]), [[
      'consume',
      [
        ['resource', 'service.name', { type: 'string', value: 'worker' }],
        ['intrinsic', 'kind', { type: 'kind', value: 'consumer' }],
      ],
    ]]);
  });

  it('accepts a parsed query as well as text', async () => {
    const { parseQuery } = await import('../../../backend/traceql/parse-query.ts');
    assert.deepEqual(evaluate(parseQuery('{ name = "cron" }'), ALL).map((m) => m.trace.traceId), ['22222222222222222222222222222222']);
  });

  it('throws the TraceQLError of a bad query before looking at any trace', () => {
    assert.throws(() => evaluate('{ status = "error" }', ALL), /parse error at line 1, col 3: binary operations must operate on the same type/);
  });
});

function fields(m: TraceMatch): unknown[] {
  return m.spanSets[0].spans.map((s) => [s.span.name, s.attributes.map((a) => [a.scope, a.name, a.value])]);
}

describe('evaluate: matched intrinsics', () => {
  it('names intrinsics by their keyword, or their scoped form when they have no keyword', () => {
    const out = evaluate('{ name = "SELECT" } | select(span:id, span:parentID, instrumentation:name, childCount, duration)', [T1]);
    assert.deepEqual(out[0].spanSets[0].spans[0].attributes.map((a) => [a.scope, a.name, a.value.type]), [
      ['intrinsic', 'name', 'string'], ['intrinsic', 'span:id', 'string'], ['intrinsic', 'span:parentID', 'string'],
      ['intrinsic', 'instrumentation:name', 'string'], ['intrinsic', 'childCount', 'int'], ['intrinsic', 'duration', 'duration'],
    ]);
  });

  it('leaves trace-level intrinsics off the spans', () => {
    const out = evaluate('{ traceDuration > 1ms && rootName != "" && trace:id != "" && rootServiceName != "" }', [T1]);
    assert.equal(out[0].spanSets[0].spans.length, 7);
    assert.deepEqual(out[0].spanSets[0].spans[0].attributes, []);
  });
});
