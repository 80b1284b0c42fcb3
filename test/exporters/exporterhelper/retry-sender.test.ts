import assert from 'node:assert/strict';
import { pino } from 'pino';
import { withRetry } from '../../../exporters/exporterhelper/retry-sender.ts';
import type { RetrySettings } from '../../../exporters/exporterhelper/settings.ts';
import { PermanentError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import { makeBatch } from '../../../pipeline/trace-batch.ts';

const FAST: RetrySettings = {
  enabled: true, initialIntervalMs: 1, randomizationFactor: 0, multiplier: 2, maxIntervalMs: 4, maxElapsedMs: 0,
};
const logger = pino({ level: 'silent' });
const batch = makeBatch([]);

/** A push that fails with `failures` in turn, then succeeds; counts attempts. */
function flaky(...failures: unknown[]): { push: () => Promise<void>; attempts: () => number } {
  let attempts = 0;
  return {
    push: async () => {
      const failure = failures[attempts++];
      if (failure !== undefined) throw failure;
    },
    attempts: () => attempts,
  };
}

describe('withRetry', () => {
  it('retries transient failures until the push succeeds', async () => {
    const target = flaky(new RetryableError('busy'), new Error('socket hang up'), new RetryableError('busy'));
    const push = withRetry(target.push, { settings: FAST, logger, stop: new AbortController().signal });
    await push(batch, {}, new AbortController().signal);
    assert.equal(target.attempts(), 4);
  });

  it('returns a PermanentError at once, without retrying', async () => {
    const permanent = new PermanentError('bad span');
    const target = flaky(permanent);
    const push = withRetry(target.push, { settings: FAST, logger, stop: new AbortController().signal });
    await assert.rejects(push(batch, {}, new AbortController().signal), (err) => err === permanent);
    assert.equal(target.attempts(), 1);
  });

  it('does not retry other refusals of the data either (UnauthorizedError)', async () => {
    const target = flaky(new UnauthorizedError('no tenant'));
    const push = withRetry(target.push, { settings: FAST, logger, stop: new AbortController().signal });
    await assert.rejects(push(batch, {}, new AbortController().signal), UnauthorizedError);
    assert.equal(target.attempts(), 1);
  });

  it('gives up after max_elapsed_time with a RetryableError caused by the last failure', async () => {
    let clock = 0;
    const last = new RetryableError('still down', { retryAfterSeconds: 7 });
    const target = flaky(new RetryableError('down'), new RetryableError('down'), last, undefined);
    const push = withRetry(async () => {
      clock += 1000; // each attempt takes a simulated second
      await target.push();
    }, {
      settings: { ...FAST, maxElapsedMs: 2500 },
      logger, stop: new AbortController().signal, now: () => clock,
    });
    const started = Promise.resolve(push(batch, {}, new AbortController().signal));
    await assert.rejects(started, (err: unknown) => {
      assert.ok(err instanceof RetryableError);
      assert.match(err.message, /no more retries left: still down/);
      assert.equal(err.cause, last);
      assert.equal(err.retryAfterSeconds, 7);
      return true;
    });
    assert.equal(target.attempts(), 3, 'the third failure came at 3 s, past 2.5 s');
  });

  it('stops waiting when the exporter shuts down', async () => {
    const stop = new AbortController();
    const target = flaky(new RetryableError('down'));
    const push = withRetry(target.push, {
      settings: { ...FAST, initialIntervalMs: 3_600_000, maxIntervalMs: 3_600_000 }, logger, stop: stop.signal,
    });
    const pending = push(batch, {}, new AbortController().signal);
    setImmediate(() => stop.abort());
    await assert.rejects(pending, /retry interrupted by shutdown: down/);
    assert.equal(target.attempts(), 1);
  });

  it('makes a single attempt when disabled', async () => {
    const target = flaky(new RetryableError('down'));
    const push = withRetry(target.push, { settings: { ...FAST, enabled: false }, logger, stop: new AbortController().signal });
    await assert.rejects(push(batch, {}, new AbortController().signal), /down/);
    assert.equal(target.attempts(), 1);
  });
});
