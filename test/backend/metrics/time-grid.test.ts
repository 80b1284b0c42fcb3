import assert from 'node:assert/strict';
import { instantGrid, intervalOf, rangeGrid, sampleTimestampMs, stepSeconds } from '../../../backend/metrics/time-grid.ts';

const S = 1_000_000_000n;

describe('rangeGrid', () => {
  it('aligns start down and end up to the step, then adds one step before the start', () => {
    const g = rangeGrid(1_000_007n * S, 1_000_091n * S, 30n * S);
    assert.equal(g.start, 999_960n * S); // 1_000_005 aligned down to 999_990, minus one step
    assert.equal(g.end, 1_000_110n * S);
    assert.equal(g.intervals, 5);
    assert.equal(g.instant, false);
  });

  it('stamps each interval with its right edge in milliseconds', () => {
    const g = rangeGrid(1_000_020n * S, 1_000_080n * S, 20n * S);
    assert.equal(g.start, 1_000_000n * S);
    assert.deepEqual([0, 1, 2, 3].map((i) => sampleTimestampMs(g, i)), ['1000020000', '1000040000', '1000060000', '1000080000']);
  });

  it('puts a span starting on an edge in the interval that edge closes', () => {
    const g = rangeGrid(1_000_020n * S, 1_000_080n * S, 20n * S);
    assert.equal(intervalOf(g, 1_000_000n * S), -1);
    assert.equal(intervalOf(g, 1_000_000n * S + 1n), 0);
    assert.equal(intervalOf(g, 1_000_020n * S), 0);
    assert.equal(intervalOf(g, 1_000_020n * S + 1n), 1);
    assert.equal(intervalOf(g, 1_000_080n * S), 3);
    assert.equal(intervalOf(g, 1_000_080n * S + 1n), -1);
  });

  it('treats a range of exactly one step as instant', () => {
    assert.equal(rangeGrid(105n * S, 135n * S, 30n * S).instant, true);
  });
});

describe('instantGrid', () => {
  it('is one unaligned interval (start, end] stamped at the end', () => {
    const g = instantGrid(1_000_007n * S, 1_000_091n * S);
    assert.equal(g.intervals, 1);
    assert.equal(intervalOf(g, 1_000_007n * S), -1);
    assert.equal(intervalOf(g, 1_000_091n * S), 0);
    assert.equal(sampleTimestampMs(g, 0), '1000091000');
    assert.equal(stepSeconds(g), 84);
  });
});
