import assert from 'node:assert/strict';
import { RestartBackoff } from '../../../receivers/kafka/restart-backoff.ts';

describe('RestartBackoff', () => {
  it('doubles from the initial wait up to the maximum while the consumer keeps crashing soon after starting', () => {
    let now = 0;
    const backoff = new RestartBackoff({ initialMs: 1000, maxMs: 30_000 }, () => now);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      backoff.started();
      now += 50;
      delays.push(backoff.delay());
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('starts over from the initial wait once a consumer ran for the maximum wait', () => {
    let now = 0;
    const backoff = new RestartBackoff({ initialMs: 1000, maxMs: 30_000 }, () => now);
    backoff.started();
    assert.equal(backoff.delay(), 1000);
    assert.equal(backoff.delay(), 2000, 'a failed restart attempt keeps doubling');
    backoff.started();
    now += 30_000;
    assert.equal(backoff.delay(), 1000);
    now += 60_000;
    assert.equal(backoff.delay(), 2000, 'restart attempts failing for long (a broker down) still back off');
  });
});
