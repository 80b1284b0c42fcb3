import assert from 'node:assert/strict';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';
import { TraceQLError } from '../../../backend/traceql/traceql-error.ts';
import { BadRequestError } from '../../../pipeline/errors.ts';

/**
 * Queries Tempo refuses (its test_examples.yaml parse_fails and validate_fails, the builder's mistakes, and
 * forms this engine does not support yet), with the exact message and position.
 */
const ERRORS: Array<[string, string]> = [
  ["true", "parse error at line 1, col 1: syntax error: unexpected true"],
  ["[ true ]", "parse error at line 1, col 1: syntax error: unexpected character \"[\""],
  ["( true )", "parse error at line 1, col 3: syntax error: unexpected true"],
  ["{ . }", "parse error at line 1, col 4: syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER"],
  ["{ < }", "parse error at line 1, col 3: syntax error: unexpected <"],
  ["{ .a < }", "parse error at line 1, col 8: syntax error: unexpected }"],
  ["{ .a < 3", "parse error at line 1, col 9: syntax error: unexpected $end, expecting }"],
  ["{ (.a < 3 }", "parse error at line 1, col 11: syntax error: unexpected }, expecting )"],
  ["{ attribute = 4 }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER"],
  ["{ .attribute == 4 }", "parse error at line 1, col 15: syntax error: unexpected ="],
  ["{ span. }", "parse error at line 1, col 8: syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER"],
  ["{ true } + { true }", "parse error at line 1, col 10: syntax error: unexpected +"],
  ["{ true } = { true }", "parse error at line 1, col 10: syntax error: unexpected ="],
  ["{ true } <= { true }", "parse error at line 1, col 10: syntax error: unexpected <="],
  ["max(name) = \"foo\"", "parse error at line 1, col 1: aggregate field expressions must resolve to a number type: max(name)"],
  ["avg(\"foo\") = \"bar\"", "parse error at line 1, col 1: aggregate field expressions must resolve to a number type: avg(\"foo\")"],
  ["max(status) = ok", "parse error at line 1, col 1: aggregate field expressions must resolve to a number type: max(status)"],
  ["max(duration) < ok", "parse error at line 1, col 17: binary operations must operate on the same type: max(duration) < ok"],
  ["min(1) = \"foo\"", "parse error at line 1, col 1: aggregate field expressions must reference the span: min(1)"],
  ["avg(.field) + 1", "parse error at line 1, col 13: syntax error: unexpected +"],
  ["select(.a", "parse error at line 1, col 10: syntax error: unexpected $end, expecting )"],
  ["select()", "parse error at line 1, col 8: syntax error: unexpected )"],
  ["select(1 + \"string\")", "parse error at line 1, col 8: select() takes attributes and intrinsics only"],
  ["coalesce() | { true }", "parse error at line 1, col 1: syntax error: unexpected coalesce"],
  ["count() > 3 && { true }", "parse error at line 1, col 13: syntax error: unexpected &&"],
  ["{ true } | count()", "parse error at line 1, col 19: syntax error: unexpected $end"],
  ["{ true } | notAnAggregate() = 1", "parse error at line 1, col 12: syntax error: unexpected IDENTIFIER"],
  ["{ true } | count = 1", "parse error at line 1, col 18: syntax error: unexpected =, expecting ("],
  ["{ true } | max() = 1", "parse error at line 1, col 16: syntax error: unexpected )"],
  ["{ true } | by()", "parse error at line 1, col 15: syntax error: unexpected )"],
  ["{ trace:status = error }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER trace:status"],
  ["{ trace:kind = server }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER trace:kind"],
  ["{ trace:name = \"a\" }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER trace:name"],
  ["{ trace:rootServiceName = \"a\" }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER trace:rootServiceName"],
  ["{ span:rootName = \"bar\" }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER span:rootName"],
  ["{ status }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: status"],
  ["{ kind }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: kind"],
  ["{ ok }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: ok"],
  ["{ 1.1 }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: 1.1"],
  ["{ 1h }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: 1h"],
  ["{ \"foo\" }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: \"foo\""],
  ["{ 1 + 1 }", "parse error at line 1, col 3: filter field expressions must resolve to a boolean: 1 + 1"],
  ["{ 1 + \"foo\" = 1 }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 + \"foo\""],
  ["{ 1 - true = 1 }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 - true"],
  ["{ 1 / ok = 1 }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 / ok"],
  ["{ 1 ^ name = 1 }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 ^ name"],
  ["{ 1 = \"foo\" }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 = \"foo\""],
  ["{ 1 != true }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 != true"],
  ["{ 1 > ok }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 > ok"],
  ["{ 1 = name }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 = name"],
  ["{ 1 =~ 2}", "parse error at line 1, col 3: illegal operation for the given types: 1 =~ 2"],
  ["{ 1 && \"foo\" }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 && \"foo\""],
  ["{ 1 || ok }", "parse error at line 1, col 3: binary operations must operate on the same type: 1 || ok"],
  ["{ true || 1.1 }", "parse error at line 1, col 3: binary operations must operate on the same type: true || 1.1"],
  ["{ status > ok }", "parse error at line 1, col 3: illegal operation for the given types: status > ok"],
  ["{ kind < consumer }", "parse error at line 1, col 3: illegal operation for the given types: kind < consumer"],
  ["{ traceDuration > \"test\" }", "parse error at line 1, col 3: binary operations must operate on the same type: traceDuration > \"test\""],
  ["{ rootServiceName = 1 }", "parse error at line 1, col 3: binary operations must operate on the same type: rootServiceName = 1"],
  ["{ rootName != 3.2 }", "parse error at line 1, col 3: binary operations must operate on the same type: rootName != 3.2"],
  ["{ span.foo =~ \"[\" }", "parse error at line 1, col 15: invalid regex \"[\": Unterminated character class"],
  ["{ span.foo !~ \"[\" }", "parse error at line 1, col 15: invalid regex \"[\": Unterminated character class"],
  ["{ -true }", "parse error at line 1, col 3: illegal operation for the given type: -true"],
  ["{ -\"foo\" = \"bar\" }", "parse error at line 1, col 3: illegal operation for the given type: -\"foo\""],
  ["{ -ok = status }", "parse error at line 1, col 3: illegal operation for the given type: -ok"],
  ["{ -name = \"foo\" }", "parse error at line 1, col 3: illegal operation for the given type: -name"],
  ["{ !\"foo\" = \"bar\" }", "parse error at line 1, col 3: illegal operation for the given type: !\"foo\""],
  ["{ !ok = status }", "parse error at line 1, col 3: illegal operation for the given type: !ok"],
  ["{ !1 = 1 }", "parse error at line 1, col 3: illegal operation for the given type: !1"],
  ["{ !1h = 1 }", "parse error at line 1, col 3: illegal operation for the given type: !1h"],
  ["sum(3) = 2", "parse error at line 1, col 1: aggregate field expressions must reference the span: sum(3)"],
  ["min(2h) < max(duration)", "parse error at line 1, col 11: comparing two aggregates is not supported"],
  ["{ true } | by(1)", "parse error at line 1, col 15: by() expressions must reference the span: 1"],
  ["{ true } | by(\"foo\")", "parse error at line 1, col 15: by() expressions must reference the span: \"foo\""],
  ["{ duration = \"x\" }", "parse error at line 1, col 3: binary operations must operate on the same type: duration = \"x\""],
  ["{ status = 1.5 }", "parse error at line 1, col 3: binary operations must operate on the same type: status = 1.5"],
  ["{ status = \"error\" }", "parse error at line 1, col 3: binary operations must operate on the same type: status = \"error\""],
  ["{ nestedSetLeft > 3 }", "parse error at line 1, col 3: nestedSetLeft is not supported yet"],
  ["{ parent.a = 1 }", "parse error at line 1, col 3: the parent. scope is not supported yet"],
  ["{ parent.span.a = 1 }", "parse error at line 1, col 3: the parent.span. scope is not supported yet"],
  ["{ event:nam = \"x\" }", "parse error at line 1, col 3: syntax error: unexpected IDENTIFIER event:nam"],
  ["{ event:timeSinceStart > \"x\" }", "parse error at line 1, col 3: binary operations must operate on the same type: event:timeSinceStart > \"x\""],
  ["{ link:traceID = 1 }", "parse error at line 1, col 3: binary operations must operate on the same type: link:traceID = 1"],
  ["{ .a = 1 }\n| count() > \"x\"", "parse error at line 2, col 13: binary operations must operate on the same type: count() > \"x\""],
  ["{ .a = 1 } with (most_recent=1)", "parse error at line 1, col 30: most_recent takes true or false"],
  ["{ .a = 1 } with (most_recent=true) | count() > 1", "parse error at line 1, col 36: with (…) must end the query"],
  ["{ .a = 1 } with (most_recent)", "parse error at line 1, col 29: hint most_recent needs = and a value"],
  ["{ .a = 1 } | count() > 1 | coalesce(", "parse error at line 1, col 37: syntax error: unexpected $end, expecting )"],
  ["{ .a } >> ", "parse error at line 1, col 11: syntax error: unexpected $end"],
  ["{ .a }}", "parse error at line 1, col 7: syntax error: unexpected }"],
  ["{ .a = 1 ) }", "parse error at line 1, col 10: syntax error: unexpected ), expecting }"],
  ["{ .a = \"x\" } | max(.b) > max(.c)", "parse error at line 1, col 26: comparing two aggregates is not supported"],
  ["{ .a } | count() > .b", "parse error at line 1, col 20: a scalar filter compares an aggregate with a number or duration"],
  ["({ .a } | count())", "parse error at line 1, col 18: syntax error: unexpected )"],
];

describe('parseQuery errors', () => {
  for (const [query, message] of ERRORS) {
    it(`refuses ${JSON.stringify(query)}`, () => {
      assert.throws(() => parseQuery(query), (err: unknown) => {
        assert.ok(err instanceof TraceQLError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }

  it('is a 400 (BadRequestError) carrying line, column and detail', () => {
    try {
      parseQuery('{ .a = 1 &&\n  duration = "x" }');
      assert.fail('expected a TraceQLError');
    } catch (err) {
      assert.ok(err instanceof BadRequestError);
      assert.ok(err instanceof TraceQLError);
      assert.equal(err.line, 2);
      assert.equal(err.column, 3);
      assert.equal(err.detail, 'binary operations must operate on the same type: duration = "x"');
    }
  });
});

describe('parseQuery limits', () => {
  it('refuses parentheses nested deeper than the parser allows, without overflowing the stack', () => {
    const q = `{ ${'('.repeat(20_000)}.a = 1${')'.repeat(20_000)} }`;
    assert.throws(() => parseQuery(q), /parse error at line 1, col 503: query nested deeper than 500 levels/);
  });

  it('refuses a chain of conditions deeper than type checking and evaluation allow', () => {
    const q = `{ ${Array.from({ length: 20_000 }, (_, k) => `.a${k} = ${k}`).join(' && ')} }`;
    assert.throws(() => parseQuery(q), /parse error at line 1, col \d+: query nested deeper than 1000 levels/);
  });

  it('accepts a chain of 900 conditions', () => {
    const q = `{ ${Array.from({ length: 900 }, (_, k) => `.a${k} = ${k}`).join(' && ')} }`;
    assert.equal(parseQuery(q).stages.length, 1);
  });

  it('refuses a long chain of unary operators', () => {
    assert.throws(() => parseQuery(`{ ${'!'.repeat(5000)}true }`), /query nested deeper than 500 levels/);
  });
});
