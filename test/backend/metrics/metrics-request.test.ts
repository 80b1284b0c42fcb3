import assert from 'node:assert/strict';
import { BadRequestError } from '../../../pipeline/errors.ts';
import { parseInstantRequest, parseQueryRangeRequest } from '../../../backend/metrics/metrics-request.ts';
import { defaultStep } from '../../../backend/metrics/request-times.ts';

const S = 1_000_000_000n;
const NOW = 1_700_003_640n * S; // a whole minute
const params = (o: Record<string, string>): URLSearchParams => new URLSearchParams(o);

describe('parseQueryRangeRequest', () => {
  it('reads q, unix-second bounds and a duration step', () => {
    const r = parseQueryRangeRequest(params({ q: '{} | rate()', start: '1700000000', end: '1700000600', step: '1m' }), NOW);
    assert.equal(r.text, '{} | rate()');
    assert.equal(r.grid.step, 60n * S);
    assert.equal(r.grid.start, 1_699_999_920n * S);
    assert.equal(r.grid.end, 1_700_000_640n * S);
  });

  it('takes query= when q is absent, and q over query', () => {
    assert.equal(parseQueryRangeRequest(params({ query: '{} | rate()', start: '1700000000', end: '1700000600' }), NOW).text, '{} | rate()');
    assert.equal(parseQueryRangeRequest(params({ query: 'x', q: '{} | count_over_time()', start: '1700000000', end: '1700000600' }), NOW).query.metrics.fn, 'count_over_time');
  });

  it('reads nanoseconds, fractional seconds and RFC 3339 times, and seconds as a step', () => {
    const r = parseQueryRangeRequest(params({ q: '{} | rate()', start: '1700000000000000000', end: '2023-11-14T22:23:20.5Z', step: '15' }), NOW);
    assert.equal(r.grid.step, 15n * S);
    assert.equal(r.grid.end, 1_700_000_610n * S); // 1_700_000_600.5 rounded up to the step
    const f = parseQueryRangeRequest(params({ q: '{} | rate()', start: '1700000000.25', end: '1700000001.5', step: '0.25' }), NOW);
    assert.equal(f.grid.step, 250_000_000n);
  });

  it('defaults to the hour before end, and end to now', () => {
    const r = parseQueryRangeRequest(params({ q: '{} | rate()', step: '60s' }), NOW);
    assert.equal(r.grid.end, NOW);
    assert.equal(r.grid.start, NOW - 3600n * S - 60n * S);
    const since = parseQueryRangeRequest(params({ q: '{} | rate()', since: '10m', step: '60s' }), NOW);
    assert.equal(since.grid.start, NOW - 660n * S);
  });

  it('derives the default step from the range as Tempo does', () => {
    assert.equal(defaultStep(0n, 3600n * S), 15n * S);
    assert.equal(defaultStep(0n, 600n * S), 2n * S);
    assert.equal(defaultStep(0n, 60n * S), S);
    assert.equal(defaultStep(0n, 86_400n * S), 360n * S);
    assert.equal(defaultStep(0n, 3_700n * S), 15n * S);
  });

  it('answers 400 with Tempo\'s words for bad parameters and queries', () => {
    const bad = (o: Record<string, string>, message: string | RegExp): void => {
      assert.throws(() => parseQueryRangeRequest(params(o), NOW), (e: Error) => e instanceof BadRequestError && (typeof message === 'string' ? e.message === message : message.test(e.message)));
    };
    bad({ q: '{ status = error }', start: '1700000000', end: '1700000600' }, 'not a metrics query');
    bad({ q: '{} | rate()', start: '1700000600', end: '1700000000' }, 'end must be greater than start');
    bad({ q: '{} | rate()', start: '1700000000', end: '1700000600', step: 'x' }, 'cannot parse "x" to a valid duration');
    bad({ q: '{} | rate()', start: '1700000000', end: '1700000600', step: '0' }, 'step must be greater than 0');
    bad({ q: '{} | rate()', start: 'yesterday' }, /could not parse 'start' parameter/);
    bad({ q: '{} | rate()', start: '1700000000', end: '1700086401' }, 'metrics query time range exceeds the maximum allowed duration of 24h0m0s');
    bad({ q: '{ .a = } | rate()', start: '1700000000', end: '1700000600' }, /^parse error at line 1, col 8: /);
  });
});

describe('parseInstantRequest', () => {
  it('makes one unaligned interval over the range', () => {
    const r = parseInstantRequest(params({ q: '{} | rate()', start: '1700000007', end: '1700000091' }), NOW);
    assert.equal(r.grid.instant, true);
    assert.equal(r.grid.start, 1_700_000_007n * S);
    assert.equal(r.grid.step, 84n * S);
  });
});
