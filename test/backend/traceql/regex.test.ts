import assert from 'node:assert/strict';
import { compileRegex } from '../../../backend/traceql/regex.ts';

describe('compileRegex', () => {
  const cases: Array<[string, string, boolean]> = [
    ['GET', 'GET', true],
    ['GET', 'GET /x', false],
    ['GET', 'xGET', false],
    ['a|b', 'a', true],
    ['a|b', 'ab', false],
    ['frontend|checkout', 'checkout', true],
    ['.*cart.*', '/api/cart/1', true],
    ['(?i)select', 'SeLeCt', true],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?P<verb>GET|PUT) .*', 'PUT /x', true],
    ['\\d{3}', '500', true],
    ['\\d{3}', '5000', false],
    ['prod-.*', 'prod-eu', true],
  ];
  for (const [pattern, subject, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} ${JSON.stringify(subject)} with ${pattern}`, () => {
      assert.equal(compileRegex(pattern).test(subject), expected);
    });
  }

  it('refuses an invalid pattern', () => {
    assert.throws(() => compileRegex('['), SyntaxError);
  });

  it('returns the same compiled RegExp for the same pattern', () => {
    assert.equal(compileRegex('x+y'), compileRegex('x+y'));
  });
});
