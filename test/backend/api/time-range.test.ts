import assert from 'node:assert/strict';
import { parseTimeRange } from '../../../backend/api/time-range.ts';
import { BadRequestError } from '../../../pipeline/errors.ts';

function parse(query: string) {
  return parseTimeRange(new URLSearchParams(query));
}

function assertBadRequest(query: string, message: string): void {
  assert.throws(() => parse(query), (err: unknown) => {
    assert.ok(err instanceof BadRequestError);
    assert.equal(err.message, message);
    return true;
  });
}

describe('parseTimeRange', () => {
  it('is unbounded without parameters or with zeros', () => {
    assert.equal(parse(''), undefined);
    assert.equal(parse('start=0&end=0'), undefined);
    assert.equal(parse('start=&end='), undefined);
  });

  it('returns both bounds in unix seconds', () => {
    assert.deepEqual(parse('start=1700000000&end=1700003600'), { start: 1700000000, end: 1700003600 });
  });

  it('leaves the missing side open', () => {
    assert.deepEqual(parse('start=100'), { start: 100, end: Number.MAX_SAFE_INTEGER });
    assert.deepEqual(parse('end=100'), { start: 0, end: 100 });
  });

  it('rejects end equal to or before start with Tempo\'s message', () => {
    assertBadRequest('start=200&end=200', 'http parameter start must be before end. received start=200 end=200');
    assertBadRequest('start=200&end=100', 'http parameter start must be before end. received start=200 end=100');
  });

  it('rejects values that are not integers', () => {
    assertBadRequest('start=abc', 'invalid start: strconv.ParseInt: parsing "abc": invalid syntax');
    assertBadRequest('end=1.5', 'invalid end: strconv.ParseInt: parsing "1.5": invalid syntax');
    assertBadRequest('end=99999999999999999999', 'invalid end: strconv.ParseInt: parsing "99999999999999999999": value out of range');
  });
});
