import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapBounded } from '../../../backend/block/map-bounded.ts';

describe('mapBounded', () => {
  it('keeps input order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (x) => {
      peak = Math.max(peak, ++inFlight);
      await sleep(x);
      inFlight--;
      return x * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30, 0, 60]);
    assert.equal(peak, 3);
  });

  it('starts nothing after a failure, settles what is in flight, then throws the first error', async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(
      mapBounded([0, 1, 2, 3, 4, 5], 2, async (x) => {
        started.push(x);
        await sleep(x === 0 ? 1 : 5);
        settled++;
        if (x === 0) throw new Error('boom 0');
      }),
      /boom 0/,
    );
    assert.deepEqual(started, [0, 1]);
    assert.equal(settled, 2);
  });

  it('returns an empty list for no items', async () => {
    assert.deepEqual(await mapBounded([], 4, async () => 1), []);
  });
});
