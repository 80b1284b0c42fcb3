import assert from 'node:assert/strict';
import { queryToString } from '../../../backend/traceql/ast-string.ts';
import type { FilterNode, PipelineNode } from '../../../backend/traceql/ast.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';

/** Query → canonical text: binary operations in parentheses, so precedence is visible. */
const ROUND_TRIPS: Array<[string, string]> = [
  ['{}', '{ }'],
  ['{ }', '{ }'],
  ['{ true }', '{ true }'],
  ['{ !true }', '{ !true }'],
  ['{ .a }', '{ .a }'],
  ['{ !.a }', '{ !.a }'],
  ['{resource.service.name="frontend"}', '{ resource.service.name = "frontend" }'],
  ['{resource.service.name="frontend" && name="GET /api/cart" && status=error && duration>100ms && duration<5s}',
    '{ ((((resource.service.name = "frontend") && (name = "GET /api/cart")) && (status = error)) && (duration > 100ms)) && (duration < 5s) }'],
  ['{resource.service.name=~"frontend|checkout"}', '{ resource.service.name =~ "frontend|checkout" }'],
  ['{(resource.service.name="frontend" || resource.service.name="checkout") && span.http.status_code=500}',
    '{ ((resource.service.name = "frontend") || (resource.service.name = "checkout")) && (span.http.status_code = 500) }'],
  ['{span.http.method="GET" && .deployment.environment="prod" && kind=server}',
    '{ ((span.http.method = "GET") && (.deployment.environment = "prod")) && (kind = server) }'],
  ['{ .a || .b && .c }', '{ (.a || .b) && .c }'],
  ['{ .a = 1 || .b = 2 }', '{ (.a = 1) || (.b = 2) }'],
  ['{ .a + 1 * 2 = 3 }', '{ (.a + (1 * 2)) = 3 }'],
  ['{ .a ^ 2 ^ 3 = 1 }', '{ (.a ^ (2 ^ 3)) = 1 }'],
  ['{ .a - 1 - 2 = 1 }', '{ ((.a - 1) - 2) = 1 }'],
  ['{ -.a = 2 }', '{ -.a = 2 }'],
  ['{ -1 = .a }', '{ -1 = .a }'],
  ['{ -1.5s < duration }', '{ -1.5s < duration }'],
  ['{ !(.a = 1) }', '{ !(.a = 1) }'],
  ['{ !("test" != .c || ((true && .b) || 3 < .a)) }', '{ !(("test" != .c) || ((true && .b) || (3 < .a))) }'],
  ['{ span."attr with space" = "x" }', '{ span."attr with space" = "x" }'],
  ['{ resource."a\\"b" = 1 }', '{ resource."a\\"b" = 1 }'],
  ['{ .a = "tab\\there" }', '{ .a = "tab\\there" }'],
  ['{ .a = `raw\\d` }', '{ .a = "raw\\\\d" }'],
  ['{ .a != nil }', '{ .a != nil }'],
  ['{ .f = 1.25 && .b = false && .i >= -3 }', '{ ((.f = 1.25) && (.b = false)) && (.i >= -3) }'],
  ['{ status = ok || status = unset || status != error }', '{ ((status = ok) || (status = unset)) || (status != error) }'],
  ['{ kind = unspecified || kind = internal || kind = client || kind = producer || kind = consumer }',
    '{ ((((kind = unspecified) || (kind = internal)) || (kind = client)) || (kind = producer)) || (kind = consumer) }'],
  ['{ statusMessage =~ ".*" && rootName != "a" && rootServiceName = "b" && traceDuration > 1s && childCount > 2 }',
    '{ ((((statusMessage =~ ".*") && (rootName != "a")) && (rootServiceName = "b")) && (traceDuration > 1s)) && (childCount > 2) }'],
  ['{ span:name = "a" && span:status = error && span:kind = server && span:duration > 1ms && span:statusMessage = "m" }',
    '{ ((((span:name = "a") && (span:status = error)) && (span:kind = server)) && (span:duration > 1ms)) && (span:statusMessage = "m") }'],
  ['{ span:id = "01" && span:parentID = "02" && span:childCount = 0 }',
    '{ ((span:id = "01") && (span:parentID = "02")) && (span:childCount = 0) }'],
  ['{ trace:duration > 2s && trace:rootName = "a" && trace:rootService = "b" && trace:id = "c" }',
    '{ (((trace:duration > 2s) && (trace:rootName = "a")) && (trace:rootService = "b")) && (trace:id = "c") }'],
  ['{ instrumentation:name = "grpc" && instrumentation:version = "1" && instrumentation.language = "java" }',
    '{ ((instrumentation:name = "grpc") && (instrumentation:version = "1")) && (instrumentation.language = "java") }'],
  ['{ event:name = "exception" && event.exception.message =~ ".*boom.*" && event:timeSinceStart > -5s }',
    '{ ((event:name = "exception") && (event.exception.message =~ ".*boom.*")) && (event:timeSinceStart > -5s) }'],
  ['{ link:traceID = "ab" || link:spanID = "cd" || link.opentracing.ref_type = "child_of" }',
    '{ ((link:traceID = "ab") || (link:spanID = "cd")) || (link.opentracing.ref_type = "child_of") }'],
  ['{ .a } && { .b }', '{ .a } && { .b }'],
  ['{ .a } || { .b } && { .c }', '({ .a } || { .b }) && { .c }'],
  ['{ .a } && { .b } >> { .c }', '{ .a } && ({ .b } >> { .c })'],
  ['{ .a } > { .b } < { .c }', '({ .a } > { .b }) < { .c }'],
  ['{ .a } >> { .b }', '{ .a } >> { .b }'],
  ['{ .a } << { .b }', '{ .a } << { .b }'],
  ['{ .a } ~ { .b }', '{ .a } ~ { .b }'],
  ['{ .a } &> { .b }', '{ .a } &> { .b }'],
  ['{ .a } &>> { .b }', '{ .a } &>> { .b }'],
  ['{ .a } &< { .b }', '{ .a } &< { .b }'],
  ['{ .a } &<< { .b }', '{ .a } &<< { .b }'],
  ['{ .a } &~ { .b }', '{ .a } &~ { .b }'],
  ['{ .a } !> { .b }', '{ .a } !> { .b }'],
  ['{ .a } !>> { .b }', '{ .a } !>> { .b }'],
  ['{ .a } !< { .b }', '{ .a } !< { .b }'],
  ['{ .a } !<< { .b }', '{ .a } !<< { .b }'],
  ['{ .a } !~ { .b }', '{ .a } !~ { .b }'],
  ['({ .a } && { .b })', '{ .a } && { .b }'],
  ['{ .a } | count() > 2', '{ .a } | count() > 2'],
  ['{ } | avg(duration) > 1s', '{ } | avg(duration) > 1s'],
  ['{ } | min(span.x) <= 1.5 | max(duration) >= 2ms | sum(.n) != -4', '{ } | min(span.x) <= 1.5 | max(duration) >= 2ms | sum(.n) != -4'],
  ['{ } | by(resource.service.name) | count() = 1', '{ } | by(resource.service.name) | count() = 1'],
  ['{ } | select(span.http.url, resource.service.name, status)', '{ } | select(span.http.url, resource.service.name, status)'],
  ['{ true } | by(1 + .a) | coalesce()', '{ true } | by(1 + .a) | coalesce()'],
  ['count() > 1 | { .a }', 'count() > 1 | { .a }'],
  ['by(.a) | { true }', 'by(.a) | { true }'],
  ['select(.a)', 'select(.a)'],
  ['max(duration) > 3s | { status = error || .http.status = 500 }', 'max(duration) > 3s | { (status = error) || (.http.status = 500) }'],
  ['({ .a } | count() > 1) >> ({ .b } | count() > 1)', '({ .a } | count() > 1) >> ({ .b } | count() > 1)'],
  ['{ .a }\n  && { .b }', '{ .a } && { .b }'],
];

describe('parseQuery', () => {
  for (const [query, canonical] of ROUND_TRIPS) {
    it(`parses ${JSON.stringify(query)}`, () => {
      const ast = parseQuery(query);
      assert.equal(queryToString(ast), canonical);
      // The canonical form is a fixed point.
      assert.equal(queryToString(parseQuery(canonical)), canonical);
    });
  }

  it('builds typed nodes with positions', () => {
    const ast = parseQuery('{ span.x >= 2ms }');
    const filter = ast.stages[0] as FilterNode;
    assert.deepEqual(strip(filter), {
      kind: 'filter',
      expr: {
        kind: 'binary', op: '>=',
        lhs: { kind: 'attribute', scope: 'span', name: 'x' },
        rhs: { kind: 'static', value: { type: 'duration', value: 2e6 }, text: '2ms' },
      },
    });
    assert.deepEqual(filter.pos, { offset: 0, line: 1, column: 1 });
  });

  it('reads literals of every type', () => {
    const ast = parseQuery('{ .a = "s" || .a = 1 || .a = 1.5 || .a = true || .a = nil || .a = 1h || status = ok || kind = server }');
    const values: unknown[] = [];
    const walk = (n: unknown): void => {
      if (n === null || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (o.kind === 'static') values.push(o.value);
      for (const v of Object.values(o)) walk(v);
    };
    walk(ast);
    assert.deepEqual(values, [
      { type: 'string', value: 's' }, { type: 'int', value: 1 }, { type: 'float', value: 1.5 },
      { type: 'bool', value: true }, { type: 'nil' }, { type: 'duration', value: 3600e9 },
      { type: 'status', value: 'ok' }, { type: 'kind', value: 'server' },
    ]);
  });

  it('keeps a pipeline nested in a structural operator', () => {
    const ast = parseQuery('({ .a } | count() > 1) > { .b }');
    const op = ast.stages[0] as unknown as { kind: string; lhs: PipelineNode };
    assert.equal(op.kind, 'spansetOp');
    assert.equal(op.lhs.kind, 'pipeline');
    assert.equal(op.lhs.stages.length, 2);
  });
});

function strip(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(strip);
  if (n === null || typeof n !== 'object') return n;
  return Object.fromEntries(Object.entries(n).filter(([k]) => k !== 'pos').map(([k, v]) => [k, k === 'value' ? v : strip(v)]));
}
