import assert from 'node:assert/strict';
import { tokenize } from '../../../backend/traceql/lexer.ts';
import { TraceQLError } from '../../../backend/traceql/traceql-error.ts';

function kinds(query: string): string[] {
  return tokenize(query).map((t) => `${t.type}:${t.scope === undefined ? '' : `${t.scope}|`}${t.text}${t.number === undefined ? '' : `=${t.number}`}`);
}

describe('tokenize', () => {
  const cases: Array<[string, string[]]> = [
    ['{ }', ['op:{', 'op:}', 'eof:']],
    ['.a', ['attribute:|a', 'eof:']],
    ['span.http.method', ['attribute:span|http.method', 'eof:']],
    ['resource.service.name="x"', ['attribute:resource|service.name', 'op:=', 'string:x', 'eof:']],
    ['span."a b".c', ['attribute:span|a b.c', 'eof:']],
    ['span."q\\"x"', ['attribute:span|q"x', 'eof:']],
    ['.foo-bar/baz', ['attribute:|foo-bar/baz', 'eof:']],
    ['span:duration', ['scopedIntrinsic:span|duration', 'eof:']],
    ['trace:rootService', ['scopedIntrinsic:trace|rootService', 'eof:']],
    ['1 1.5 1e3 .5', ['int:1=1', 'float:1.5=1.5', 'float:1e3=1000', 'float:.5=0.5', 'eof:']],
    ['1ms 1.5s 2m 1h 3us 3µs 7ns', [
      'duration:1ms=1000000', 'duration:1.5s=1500000000', 'duration:2m=120000000000', 'duration:1h=3600000000000',
      'duration:3us=3000', 'duration:3µs=3000', 'duration:7ns=7', 'eof:']],
    ['"a\\tb\\n\\"c\\\\ \\x41\\u00e9\\101"', ['string:a\tb\n"c\\ AéA', 'eof:']],
    ['`raw \\n`', ['string:raw \\n', 'eof:']],
    ['!>> !<< &>> &<< && || != =~ !~ >= <= >> << !> !< &> &< &~', [
      'op:!>>', 'op:!<<', 'op:&>>', 'op:&<<', 'op:&&', 'op:||', 'op:!=', 'op:=~', 'op:!~', 'op:>=', 'op:<=',
      'op:>>', 'op:<<', 'op:!>', 'op:!<', 'op:&>', 'op:&<', 'op:&~', 'eof:']],
    ['{.a>=1}', ['op:{', 'attribute:|a', 'op:>=', 'int:1=1', 'op:}', 'eof:']],
    ['count() by', ['word:count', 'op:(', 'op:)', 'word:by', 'eof:']],
  ];
  for (const [query, expected] of cases) {
    it(`tokenizes ${query}`, () => assert.deepEqual(kinds(query), expected));
  }

  it('gives each token its line and column', () => {
    const toks = tokenize('{\n  .a = "é" &&\n  name = 1 }');
    assert.deepEqual(toks.map((t) => [t.text, t.pos.line, t.pos.column]), [
      ['{', 1, 1], ['a', 2, 3], ['=', 2, 6], ['é', 2, 8], ['&&', 2, 12], ['name', 3, 3], ['=', 3, 8], ['1', 3, 10],
      ['}', 3, 12], ['', 3, 13],
    ]);
  });

  it('counts columns in characters, not UTF-16 units', () => {
    const toks = tokenize('"😀😀" = x');
    assert.equal(toks[1].pos.column, 6);
  });

  const errors: Array<[string, string]> = [
    ['{ .a = "abc }', 'parse error at line 1, col 8: literal not terminated'],
    ['{ .a = "a\\qb" }', 'parse error at line 1, col 10: invalid syntax'],
    ['{ .a = `x }', 'parse error at line 1, col 8: literal not terminated'],
    ['{ span. = 1 }', 'parse error at line 1, col 8: syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER'],
    ['{ span."abc = 1 }', 'parse error at line 1, col 8: unexpected EOF, expecting "'],
    ['{ span."a\\b" = 1 }', 'parse error at line 1, col 10: invalid escape sequence'],
    ['{ .a = 1 } & { }', 'parse error at line 1, col 12: syntax error: unexpected character "&"'],
    ['{ .a = 99999999999999999999 }', 'parse error at line 1, col 8: strconv.Atoi: parsing "99999999999999999999": value out of range'],
  ];
  for (const [query, message] of errors) {
    it(`refuses ${query}`, () => {
      assert.throws(() => tokenize(query), (err: unknown) => {
        assert.ok(err instanceof TraceQLError);
        assert.equal(err.message, message);
        return true;
      });
    });
  }
});
