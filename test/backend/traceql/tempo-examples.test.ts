import assert from 'node:assert/strict';
import { queryToString } from '../../../backend/traceql/ast-string.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';

/**
 * The `valid` queries of Tempo's pkg/traceql/test_examples.yaml that are in scope (no nested sets, metrics functions or hints): each parses, type-checks, and its
 * canonical text parses to the same canonical text.
 */
const VALID = [
  '{ true }', '{ !true }', '{ true && false }', '{ true || false }', '{ 1 = 2 }', '{ 1 != 2 }', '{ 1 > 2 }',
  '{ 1 >= 2 }', '{ 1 < 2 }', '{ 1 <= 2 }', '{ -1 = 2 }', '{ "test" =~ "test" }', '{ "test" !~ "test" }',
  '{ "test" = "test" }', '{ "test" != "test" }', '{ .a }', '{ !.a }', '{ .a && false }', '{ .a || true }',
  '{ .a = 2 }', '{ .a != 2 }', '{ .a > 2 }', '{ .a >= 2 }', '{ .a < 2 }', '{ .a <= 2 }', '{ -.a = 2 }',
  '{ .a =~ "test" }', '{ .a !~ "test" }', '{ .a = "test" }', '{ .a != "test" }', '{ resource.a != 3 }',
  '{ span.a != 3 }', '{ !("test" != .c || ((true && .b) || 3 < .a)) }', '{ status = ok }', '{ status = unset }',
  '{ status = error }', '{ status != error }', '{ statusMessage = "status message" }', '{ statusMessage = "" }',
  '{ statusMessage =~ ".*" }', '{ statusMessage != "" }', '{ kind = internal }', '{ kind = client }',
  '{ kind = consumer }', '{ traceDuration > 1s }', '{ rootServiceName = "foo" }', '{ rootName != "foo" }',
  '{ duration > 1s }', '{ 1 < 1h }', '{ 1 <= 1.1 }',
  '{ trace:duration > 2s }', '{ trace:rootName = "a" }', '{ trace:rootService = "a" }', '{ trace:id = "aasdf4ergf" }',
  '{ span:duration > 2s }', '{ span:status = error }', '{ span:kind = client }',
  '{ span:statusMessage = "status message" }', '{ span:id = "61626364656667" }',
  '{ event.foo = "bar" }', '{ link.foo = "bar" }', '{ event:name = "exception" }', '{ event:timeSinceStart > 1s }',
  '{ link:traceID = "f1f1f1f1f1f1ff1f1f1f1f1f1f1f1f1" }', '{ link:spanID = "f1f1f1f1f1f1f1f1" }',
  '{ instrumentation.foo = "bar" }', '{ instrumentation:name = "grpc" }', '{ instrumentation:version = "v3.34" }',
  '{ 1 + 1 = 2 }', '{ 1 - 1 = 2 }', '{ 1 * 1 = 2 }', '{ 1 / 1 = 2 }', '{ 1 ^ 1 = 2 }', '{ .a + 1 = 2 }',
  '{ .a - 1 = 2 }', '{ .a * 1 = 2 }', '{ .a / 1 = 2 }', '{ .a ^ 1 = 2 }', '{ duration > 1s * 2s }',
  '{ 1 * 1h = 1 }', '{ 1 / 1.1 = 1 }', '{ .http.status >= "200" }',
  '{ true } && { true }', '{ true } || { true }', '{ true } >> { true }', '{ true } << { true }',
  '{ true } > { true }', '{ true } < { true }', '{ true } ~ { true }', '{ true } !> { true }', '{ true } !< { true }',
  '{ true } !~ { true }', '{ true } !>> { true }', '{ true } !<< { true }', '{ true } &> { true }',
  '{ true } &< { true }', '{ true } &~ { true }', '{ true } &>> { true }', '{ true } &<< { true }',
  '({ true } | count() > 1 | { false }) >> ({ true } | count() > 1 | { false })',
  '({ true } | count() > 1 | { false }) > ({ true } | count() > 1 | { false })',
  '({ true } | count() > 1 | { false }) ~ ({ true } | count() > 1 | { false })',
  'avg(.field) > 1', 'max(duration) >= 1s', 'max(duration) > 1', '{ true } | max(duration) = 1h',
  '{ true } | min(duration) = 1h', '{ true } | sum(duration) = 1h', '{ true } | max(.a) = 1',
  '{ true } | max(span.a) = 1', '{ true } | max(resource.a) = 1', '{ true } | max(1 + .a) = 1',
  '{ true } | max((1 + .a) * 2) = 1', 'max(duration) > 3s | { status = error || .http.status = 500 }',
  'select(.a)', '{} | select(.a,.b,.c)', '{ true } | { .a }', '{ true } | count() = 1',
  '{ true } | avg(duration) = 1h', 'count() = 1 | { true }', '{ true } | count() = 1 | { true }',
  '({ true } | count() > 1 | { false }) && ({ true } | count() > 1 | { false })',
  '({ true } | count() > 1 | { false }) || ({ true } | count() > 1 | { false })',
  '{ true } | coalesce()', '{ true } | by(1 + .a) | coalesce()', '{ true } | by(.a)', '{ true } | by(1 + .a)',
  'by(.a) | { true }', '{ true } | by(name) | count() > 2', '{ true } | by(.field) | avg(.b) = 2',
  '{ true } | by(3 * .field - 2) | max(duration) < 1s',
];

describe('Tempo test_examples.yaml valid queries', () => {
  for (const query of VALID) {
    it(`accepts ${query}`, () => {
      const canonical = queryToString(parseQuery(query));
      assert.equal(queryToString(parseQuery(canonical)), canonical);
    });
  }
});
