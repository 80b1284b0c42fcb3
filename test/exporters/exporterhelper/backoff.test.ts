import assert from 'node:assert/strict';
import { ExponentialBackoff } from '../../../exporters/exporterhelper/backoff.ts';
import type { RetrySettings } from '../../../exporters/exporterhelper/settings.ts';

const SETTINGS: RetrySettings = {
  enabled: true, initialIntervalMs: 5000, randomizationFactor: 0.5, multiplier: 1.5, maxIntervalMs: 30000, maxElapsedMs: 300000,
};

describe('ExponentialBackoff', () => {
  it('grows the interval by the multiplier up to max_interval', () => {
    const backoff = new ExponentialBackoff({ ...SETTINGS, randomizationFactor: 0 });
    const waits = Array.from({ length: 7 }, () => backoff.next(0));
    assert.deepEqual(waits, [5000, 7500, 11250, 16875, 25312.5, 30000, 30000]);
  });

  it('randomizes each wait within ± randomization_factor of the interval', () => {
    assert.equal(new ExponentialBackoff(SETTINGS, () => 0).next(0), 2500);
    assert.equal(new ExponentialBackoff(SETTINGS, () => 0.5).next(0), 5000);
    assert.ok(new ExponentialBackoff(SETTINGS, () => 0.999999).next(0)! < 7500);
  });

  it('gives up once the next wait would end past max_elapsed_time', () => {
    const backoff = new ExponentialBackoff({ ...SETTINGS, randomizationFactor: 0 });
    assert.equal(backoff.next(294_000), 5000);
    assert.equal(backoff.next(294_000), undefined, '294 s + 7.5 s > 300 s');
  });

  it('never gives up when max_elapsed_time is 0', () => {
    const backoff = new ExponentialBackoff({ ...SETTINGS, maxElapsedMs: 0 });
    assert.ok(backoff.next(10 * 86_400_000)! > 0);
  });
});
