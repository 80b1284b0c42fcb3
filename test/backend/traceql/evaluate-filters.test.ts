import assert from 'node:assert/strict';
import { run, T1, T2 } from './fixture-traces.ts';
import { spanId } from './trace-builder.ts';

const EVERY_SPAN = ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]', 'T2[cron]', 'T3[orphan]'];

/** [query, expected spansets] over the three fixture traces. */
const CASES: Array<[string, string[]]> = [
  // match-all and static filters
  ['{}', EVERY_SPAN],
  ['{ true }', EVERY_SPAN],
  ['{ 1 = 1 }', EVERY_SPAN],
  ['{ 1 < 1.5 }', EVERY_SPAN],
  ['{ false }', []],
  ['{ "a" = "b" }', []],
  // name, strings, regexes (fully anchored)
  ['{ name = "SELECT" }', ['T1[SELECT]']],
  ['{ span:name = "SELECT" }', ['T1[SELECT]']],
  ['{ name != "SELECT" && resource.service.name = "checkout" }', ['T1[POST /checkout,publish]']],
  ['{ name =~ "GET" }', []],
  ['{ name =~ "GET.*" }', ['T1[GET /api/cart]']],
  ['{ name =~ "cron|orphan" }', ['T2[cron]', 'T3[orphan]']],
  ['{ name !~ ".*o.*" }', ['T1[GET /api/cart,SELECT,publish]']],
  ['{ name =~ "(?i)select" }', ['T1[SELECT]']],
  ['{ name = `SELECT` }', ['T1[SELECT]']],
  ['{ name >= "publish" }', ['T1[publish]']],
  // status, statusMessage
  ['{ status = error }', ['T1[checkout call]']],
  ['{ span:status = error }', ['T1[checkout call]']],
  ['{ status = ok }', ['T1[publish]']],
  ['{ status = unset && resource.service.name = "frontend" }', ['T1[GET /api/cart]', 'T3[orphan]']],
  ['{ status != unset }', ['T1[checkout call,publish]']],
  ['{ statusMessage = "upstream failed" }', ['T1[checkout call]']],
  ['{ span:statusMessage =~ "upstream.*" }', ['T1[checkout call]']],
  ['{ statusMessage != "" }', ['T1[checkout call]']],
  // kind
  ['{ kind = server }', ['T1[GET /api/cart,POST /checkout]', 'T3[orphan]']],
  ['{ kind = client }', ['T1[checkout call,SELECT]']],
  ['{ kind = producer }', ['T1[publish]']],
  ['{ kind = consumer }', ['T1[consume]']],
  ['{ kind = internal }', ['T1[internal work]']],
  ['{ kind = unspecified }', ['T2[cron]']],
  ['{ span:kind != server && resource.service.name = "checkout" }', ['T1[SELECT,publish]']],
  // duration and traceDuration
  ['{ duration > 100ms }', ['T1[GET /api/cart,checkout call,POST /checkout]', 'T2[cron]']],
  ['{ duration <= 1ms }', ['T1[publish,internal work]', 'T3[orphan]']],
  ['{ duration >= 1.5ms && duration < 3ms }', ['T1[consume]']],
  ['{ span:duration = 5ms }', ['T1[SELECT]']],
  ['{ duration = 5000us }', ['T1[SELECT]']],
  ['{ duration = 5000000ns }', ['T1[SELECT]']],
  ['{ duration >= 1s }', ['T2[cron]']],
  ['{ duration > 0.001m }', ['T1[GET /api/cart,checkout call,POST /checkout]', 'T2[cron]']],
  ['{ duration < 1h && duration > 999ms }', ['T2[cron]']],
  ['{ duration > 5000000 }', ['T1[GET /api/cart,checkout call,POST /checkout]', 'T2[cron]']],
  ['{ traceDuration > 500ms }', ['T2[cron]']],
  ['{ trace:duration < 100ms }', ['T3[orphan]']],
  ['{ traceDuration = 200ms && kind = producer }', ['T1[publish]']],
  // rootName, rootServiceName (T3 has no root: never matches)
  ['{ rootName = "GET /api/cart" && kind = client }', ['T1[checkout call,SELECT]']],
  ['{ trace:rootName = "cron" }', ['T2[cron]']],
  ['{ rootName != "x" && duration > 100ms }', ['T1[GET /api/cart,checkout call,POST /checkout]', 'T2[cron]']],
  ['{ rootServiceName = "frontend" && resource.service.name = "worker" }', ['T1[consume,internal work]']],
  ['{ trace:rootService = "lonely" }', ['T2[cron]']],
  ['{ rootServiceName = "frontend" }', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT,publish,consume,internal work]']],
  // ids and childCount
  [`{ span:id = "${spanId('db')}" }`, ['T1[SELECT]']],
  [`{ span:parentID = "${spanId('srv')}" }`, ['T1[SELECT,publish]']],
  ['{ trace:id = "22222222222222222222222222222222" }', ['T2[cron]']],
  ['{ trace:id = "33333333333333333333333333333333" }', ['T3[orphan]']],
  ['{ childCount = 2 }', ['T1[POST /checkout]']],
  ['{ span:childCount = 0 && resource.service.name = "checkout" }', ['T1[SELECT]']],
  // int attributes; a string attribute never equals an int
  ['{ span.http.status_code = 200 }', ['T1[GET /api/cart]']],
  ['{ .http.status_code >= 500 }', ['T1[checkout call]']],
  ['{ .http.status_code = "200" }', ['T2[cron]']],
  ['{ .http.status_code != 200 }', ['T1[checkout call]']],
  ['{ .http.status_code > 199.5 }', ['T1[GET /api/cart,checkout call]']],
  // float attributes compare numerically with ints
  ['{ .ratio = 0.25 }', ['T1[POST /checkout]']],
  ['{ .ratio < 1 }', ['T1[POST /checkout]']],
  ['{ .ratio = 1 }', ['T2[cron]']],
  ['{ .ratio = 1.0 }', ['T2[cron]']],
  ['{ .ratio > 0.1 }', ['T1[POST /checkout]', 'T2[cron]']],
  // booleans
  ['{ .retry = true }', ['T1[checkout call]']],
  ['{ .retry }', ['T1[checkout call]']],
  ['{ !.retry }', []],
  ['{ .retry != false }', ['T1[checkout call]']],
  ['{ .retry = false }', []],
  // string ordering
  ['{ .http.method > "GET" }', ['T1[POST /checkout]']],
  ['{ .http.method <= "GET" }', ['T1[GET /api/cart]']],
  // arrays match by element
  ['{ .tags = "b" }', ['T1[POST /checkout]']],
  ['{ .tags != "c" }', ['T1[POST /checkout]']],
  ['{ .tags != "a" }', []],
  ['{ .tags =~ "a|z" }', ['T1[POST /checkout]']],
  ['{ .tags !~ "x.*" }', ['T1[POST /checkout]']],
  ['{ .tags = 1 }', []],
  // nil: only `= nil` / `!= nil` see a missing attribute
  ['{ .db.system != nil }', ['T1[SELECT]']],
  ['{ span.rows = nil && resource.service.name = "checkout" }', ['T1[POST /checkout,publish]']],
  ['{ .missing = 1 }', []],
  ['{ .missing != 1 }', []],
  ['{ .missing !~ "x" }', []],
  ['{ .missing = nil && name = "cron" }', ['T2[cron]']],
  // scopes: unscoped reads the span first, then the resource
  ['{ span.service.name = "frontend" }', []],
  ['{ resource.service.name = "frontend" }', ['T1[GET /api/cart,checkout call]', 'T3[orphan]']],
  ['{ .service.name = "worker" }', ['T1[consume,internal work]']],
  ['{ .deployment.environment = "prod" }', ['T1[GET /api/cart]']],
  ['{ resource.deployment.environment = "prod" }', ['T1[GET /api/cart,checkout call]']],
  ['{ span.deployment.environment = "canary" }', ['T1[checkout call]']],
  ['{ span."a b" = "spaced" }', ['T1[internal work]']],
  // instrumentation scope
  ['{ instrumentation:name = "kafkajs" }', ['T1[consume,internal work]']],
  ['{ instrumentation:version =~ "2\\\\.2\\\\..*" && kind = consumer }', ['T1[consume]']],
  ['{ instrumentation.language = "nodejs" && name = "internal work" }', ['T1[internal work]']],
  ['{ instrumentation:name = "test-scope" && name = "cron" }', ['T2[cron]']],
  ['{ .language = "nodejs" }', []],
  // key-value lists and bytes exist but compare with nothing
  ['{ .kv != nil && .raw != nil }', ['T1[internal work]']],
  ['{ .kv = "x" || .raw = "x" }', []],
  // arithmetic
  ['{ .rows + 8 = 50 }', ['T1[SELECT]']],
  ['{ .rows * 2 > 80 }', ['T1[SELECT]']],
  ['{ .rows - 2 = 40 }', ['T1[SELECT]']],
  ['{ .rows / 4 = 10.5 }', ['T1[SELECT]']],
  ['{ .rows % 5 = 2 }', ['T1[SELECT]']],
  ['{ .count ^ 2 = 9 }', ['T1[internal work]']],
  ['{ -.rows = -42 }', ['T1[SELECT]']],
  ['{ duration * 2 > 300ms }', ['T1[GET /api/cart]', 'T2[cron]']],
  ['{ .missing + 1 = 1 }', []],
  // logic and parentheses
  ['{ name = "SELECT" || name = "publish" }', ['T1[SELECT,publish]']],
  ['{ (name = "SELECT" || name = "cron") && kind = client }', ['T1[SELECT]']],
  ['{ !(kind = server || kind = client) && resource.service.name != "worker" }', ['T1[publish]', 'T2[cron]']],
  ['{ .missing || name = "cron" }', ['T2[cron]']],
];

describe('evaluate: span filters', () => {
  for (const [query, expected] of CASES) {
    it(`${query} → ${expected.join(' ') || 'nothing'}`, () => assert.deepEqual(run(query), expected));
  }

  it('evaluates one trace at a time, in input order', () => {
    assert.deepEqual(run('{ duration > 100ms }', [T2, T1]), ['T2[cron]', 'T1[GET /api/cart,checkout call,POST /checkout]']);
  });
});
