import assert from 'node:assert/strict';
import { LogSampler } from '../../../exporters/debug/log-sampler.ts';

describe('LogSampler', () => {
  it('passes the first `initial` calls of a second, then every `thereafter`-th', () => {
    let now = 0;
    const sampler = new LogSampler(2, 3, () => now);
    const passed = Array.from({ length: 8 }, () => sampler.sample());
    assert.deepEqual(passed, [true, true, false, false, true, false, false, true]);
  });

  it('starts counting again each second', () => {
    let now = 0;
    const sampler = new LogSampler(1, 0, () => now);
    assert.deepEqual([sampler.sample(), sampler.sample()], [true, false]);
    now = 1000;
    assert.deepEqual([sampler.sample(), sampler.sample()], [true, false]);
  });
});
