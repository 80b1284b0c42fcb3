import assert from 'node:assert/strict';
import { compareNanos, NewestTraces } from '../../../backend/search/newest-traces.ts';
import type { TraceResultJson } from '../../../backend/search/trace-result.ts';

const trace = (i: number): TraceResultJson => ({ traceID: i.toString(16), startTimeUnixNano: String(1_000 + i) });

describe('NewestTraces', function () {
  it('keeps the newest limit traces and tells, once trimmed, which starts could still be kept', function () {
    const found = new NewestTraces(3);
    assert.equal(found.wouldKeep(0n), true, 'nothing trimmed yet: everything may be kept');
    for (let i = 0; i < 100; i++) found.add(trace(i));
    assert.deepEqual(found.list().map((t) => t.traceID), [trace(99), trace(98), trace(97)].map((t) => t.traceID));
    // Trimmed once, at 70 added (2 × limit + 64): the third newest then started at 1,067.
    assert.equal(found.wouldKeep(1_066n), false);
    assert.equal(found.wouldKeep(1_067n), true);
  });

  it('is enough for a first-found search at limit distinct traces, never for a most-recent one', function () {
    const found = new NewestTraces(2);
    found.add(trace(1));
    found.add(trace(1));
    assert.equal(found.enoughFor({ mostRecent: false }), false, 'two parts of one trace');
    found.add(trace(2));
    assert.equal(found.enoughFor({ mostRecent: false }), true);
    assert.equal(found.enoughFor({ mostRecent: true }), false);
  });
});

describe('compareNanos', function () {
  it('orders decimal nanosecond strings as numbers', function () {
    const sorted = ['1700000000000000000', '999', '0', '1700000000000000001', '10'].sort(compareNanos);
    assert.deepEqual(sorted, ['0', '10', '999', '1700000000000000000', '1700000000000000001']);
    assert.equal(compareNanos('5', '5'), 0);
  });
});
