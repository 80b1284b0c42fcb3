import assert from 'node:assert/strict';
import { withTimeout } from '../../../exporters/exporterhelper/timeout-sender.ts';
import { PermanentError, RetryableError } from '../../../pipeline/errors.ts';
import { makeBatch } from '../../../pipeline/trace-batch.ts';

const batch = makeBatch([]);
const never = (signal: AbortSignal): Promise<void> => new Promise((_, reject) => {
  signal.addEventListener('abort', () => reject(new Error('aborted')));
});

describe('withTimeout', () => {
  it('fails a slow attempt with a RetryableError and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const push = withTimeout((_b, _c, signal) => {
      seen = signal;
      return never(signal);
    }, 10);
    await assert.rejects(push(batch, {}, new AbortController().signal), (err: unknown) => {
      assert.ok(err instanceof RetryableError);
      assert.match(err.message, /timed out after 10 ms/);
      return true;
    });
    assert.equal(seen?.aborted, true);
  });

  it('passes on the outcome of an attempt that finishes in time', async () => {
    const ok = withTimeout(async () => {}, 1000);
    await ok(batch, {}, new AbortController().signal);
    const failing = withTimeout(async () => { throw new PermanentError('bad'); }, 1000);
    await assert.rejects(failing(batch, {}, new AbortController().signal), PermanentError);
  });

  it('aborts the attempt when the caller\'s signal aborts', async () => {
    let seen: AbortSignal | undefined;
    const outer = new AbortController();
    const push = withTimeout((_b, _c, signal) => {
      seen = signal;
      return never(signal);
    }, 60_000);
    const pending = push(batch, {}, outer.signal);
    outer.abort();
    await assert.rejects(pending, /aborted/);
    assert.equal(seen?.aborted, true);
  });

  it('leaves the push unwrapped when the timeout is 0', () => {
    const push = async (): Promise<void> => {};
    assert.equal(withTimeout(push, 0), push);
  });
});
