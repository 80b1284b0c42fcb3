import assert from 'node:assert/strict';
import { BadRequestError } from '../../../pipeline/errors.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';

const parse = (query: string) => parseSearchRequest(new URLSearchParams(query));

function rejects(query: string, message: RegExp): void {
  assert.throws(() => parse(query), (err: unknown) => err instanceof BadRequestError && message.test(err.message));
}

describe('parseSearchRequest', function () {
  it('defaults q to {}, limit to 20, spss to 3 and the range to everything', function () {
    const r = parse('');
    assert.equal(r.text, '{}');
    assert.equal(r.limit, 20);
    assert.equal(r.spss, 3);
    assert.equal(r.range, undefined);
  });

  it('reads q, limit, spss, start and end, decoding both + and %20 as spaces', function () {
    const r = parse('q=%7B+span.a%20%3D+1+%7D&limit=5&spss=10&start=100&end=200');
    assert.equal(r.text, '{ span.a = 1 }');
    assert.deepEqual([r.limit, r.spss, r.range], [5, 10, { start: 100, end: 200 }]);
  });

  it('refuses a zero, negative or non-numeric limit or spss', function () {
    rejects('limit=0', /^invalid limit: must be a positive number$/);
    rejects('limit=-3', /^invalid limit/);
    rejects('limit=abc', /^invalid limit: strconv.Atoi/);
    rejects('spss=0', /^invalid spss/);
  });

  it('reads the most_recent hint (Tempo\'s default: the first traces found), ignoring hints it does not use', function () {
    assert.equal(parse('q=' + encodeURIComponent('{ .a = 1 }')).mostRecent, false);
    const hinted = parse('q=' + encodeURIComponent('{ .a = 1 } | count() > 1 with (most_recent=true, sample=0.1)'));
    assert.equal(hinted.mostRecent, true);
    assert.equal(hinted.query.stages.length, 2);
    assert.equal(parse('q=' + encodeURIComponent('{} with(most_recent=false)')).mostRecent, false);
  });

  it('refuses start at or after end', function () {
    rejects('start=200&end=200', /start must be before end/);
    rejects('start=300&end=200', /start must be before end/);
  });

  it('answers a TraceQL error with Tempo\'s prefix and the position', function () {
    rejects('q=' + encodeURIComponent('{ span.foo = }'), /^invalid TraceQL query: parse error at line 1, col 14: /);
    rejects('q=' + encodeURIComponent('{ status = "error" }'), /^invalid TraceQL query: parse error at line 1, col \d+: /);
  });

  it('refuses tags together with q', function () {
    rejects('q=%7B%7D&tags=a%3Db', /tags and q/);
  });

  it('turns tags, minDuration and maxDuration into TraceQL', function () {
    const r = parse('tags=' + encodeURIComponent('service.name=checkout http.status_code=500') + '&minDuration=10ms&maxDuration=2s');
    assert.equal(r.text, '{ ."service.name" = "checkout" && (."http.status_code" = "500" || ."http.status_code" = 500) && traceDuration >= 10000000ns && traceDuration <= 2000000000ns }');
  });

  it('refuses a bad duration and maxDuration below minDuration', function () {
    rejects('minDuration=fast', /^invalid minDuration/);
    rejects('minDuration=2s&maxDuration=1s', /^invalid maxDuration/);
  });
});
