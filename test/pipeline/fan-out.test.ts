import assert from 'node:assert/strict';
import type { TracesConsumer } from '../../pipeline/component.ts';
import { fanOut } from '../../pipeline/fan-out.ts';
import { makeBatch } from '../../pipeline/trace-batch.ts';

function consumer(calls: string[], name: string, behaviour: 'ok' | 'reject' | 'throw' = 'ok', delayMs = 0): TracesConsumer {
  return {
    consumeTraces() {
      calls.push(`${name} called`);
      if (behaviour === 'throw') throw new Error(`${name} threw`);
      return new Promise((resolve, reject) => {
        setTimeout(() => {
          calls.push(`${name} settled`);
          if (behaviour === 'reject') reject(new Error(`${name} failed`));
          else resolve();
        }, delayMs);
      });
    },
  };
}

describe('fanOut', () => {
  it('hands the same batch to every consumer and resolves when all have', async () => {
    const seen: unknown[] = [];
    const record: TracesConsumer = { consumeTraces: async (b, ctx) => void seen.push(b, ctx.tenant) };
    const batch = makeBatch([]);
    await fanOut([record, record]).consumeTraces(batch, { tenant: 't' });
    assert.deepEqual(seen, [batch, 't', batch, 't']);
  });

  it('returns a single consumer as it is', () => {
    const only = consumer([], 'only');
    assert.equal(fanOut([only]), only);
  });

  it('waits for all, then rejects with the first failure in list order', async () => {
    const calls: string[] = [];
    const all = fanOut([consumer(calls, 'a', 'ok', 20), consumer(calls, 'b', 'reject', 10), consumer(calls, 'c', 'reject', 1)]);
    await assert.rejects(all.consumeTraces(makeBatch([]), {}), /b failed/);
    assert.ok(calls.includes('a settled'), 'the slow consumer finished before the rejection');
  });

  it('still calls every consumer when one throws synchronously', async () => {
    const calls: string[] = [];
    await assert.rejects(fanOut([consumer(calls, 'a', 'throw'), consumer(calls, 'b')]).consumeTraces(makeBatch([]), {}), /a threw/);
    assert.deepEqual(calls, ['a called', 'b called', 'b settled']);
  });

  it('refuses an empty list', () => {
    assert.throws(() => fanOut([]), RangeError);
  });
});
