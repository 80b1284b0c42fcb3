import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { JobLimiter } from '../../../backend/frontend/job-limiter.ts';
import { QueueFullError } from '../../../pipeline/errors.ts';

/** A task that runs until released, counting how many run at once. */
function gate(state: { running: number; peak: number }): { task: () => Promise<number>; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  return {
    release,
    task: async () => {
      state.running++;
      state.peak = Math.max(state.peak, state.running);
      await released;
      state.running--;
      return state.peak;
    },
  };
}

describe('JobLimiter', () => {
  it('runs at most `concurrency` tasks at once over every caller and settles each', async () => {
    const limiter = new JobLimiter({ concurrency: 2, maxWaiting: 100 });
    const state = { running: 0, peak: 0 };
    const gates = Array.from({ length: 6 }, () => gate(state));
    const first = limiter.runAll(gates.slice(0, 3).map((g) => g.task));
    const second = limiter.runAll([...gates.slice(3).map((g) => g.task), async () => { throw new Error('boom'); }]);
    await tick();
    assert.equal(state.running, 2);
    for (const g of gates) {
      g.release();
      await tick();
    }
    const settled = [...await first, ...await second];
    assert.equal(state.peak, 2);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    assert.equal(limiter.running, 0);
  });

  it('refuses a whole request with QueueFullError when its jobs would overflow the wait list, and starts none of them', async () => {
    const limiter = new JobLimiter({ concurrency: 1, maxWaiting: 2 });
    const state = { running: 0, peak: 0 };
    const held = gate(state);
    const running = limiter.runAll([held.task, async () => 1, async () => 2]);
    let started = false;
    await assert.rejects(limiter.runAll([async () => { started = true; return 3; }]), QueueFullError);
    assert.equal(started, false);
    held.release();
    assert.deepEqual((await running).map((s) => s.status), ['fulfilled', 'fulfilled', 'fulfilled']);
    assert.deepEqual((await limiter.runAll([async () => 4])).map((s) => s.status), ['fulfilled']);
  });
});
