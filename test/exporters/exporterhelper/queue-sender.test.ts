import assert from 'node:assert/strict';
import { QueueSender } from '../../../exporters/exporterhelper/queue-sender.ts';
import { QueueFullError, RetryableError } from '../../../pipeline/errors.ts';
import { makeBatch } from '../../../pipeline/trace-batch.ts';
import { deferred, until } from '../../receivers/otlp/receiver-harness.ts';

const batch = makeBatch([]);

/** A queue whose sends wait until the test releases them. */
function gatedQueue(numConsumers: number, queueSize: number) {
  const gates: ReturnType<typeof deferred<void>>[] = [];
  let sent = 0;
  const sizes: number[] = [];
  const queue = new QueueSender({
    numConsumers,
    queueSize,
    send: async () => {
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      sent++;
    },
    onSizeChange: (n) => sizes.push(n),
  });
  return { queue, gates, sent: () => sent, sizes };
}

describe('QueueSender', () => {
  it('refuses with QueueFullError once queue_size requests wait, never dropping silently', () => {
    const { queue } = gatedQueue(1, 2);
    queue.offer(batch, {}); // taken by the consumer at once
    queue.offer(batch, {});
    queue.offer(batch, {});
    assert.equal(queue.size, 2);
    assert.throws(() => queue.offer(batch, {}), QueueFullError);
  });

  it('sends at most num_consumers requests at once', async () => {
    const { queue, gates } = gatedQueue(3, 10);
    for (let i = 0; i < 7; i++) queue.offer(batch, {});
    await until(() => gates.length === 3);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gates.length, 3);
    assert.equal(queue.size, 4);
    gates[0]!.resolve();
    await until(() => gates.length === 4);
  });

  it('drains every queued request on shutdown, refusing new ones meanwhile', async () => {
    const { queue, gates, sent, sizes } = gatedQueue(2, 10);
    for (let i = 0; i < 5; i++) queue.offer(batch, {});
    let drained = false;
    const stopping = queue.shutdown().then(() => { drained = true; });
    assert.throws(() => queue.offer(batch, {}), (err: unknown) => err instanceof RetryableError && !(err instanceof QueueFullError));
    for (let released = 0; released < 5; released++) {
      await until(() => gates.length > released);
      assert.equal(drained, false);
      gates[released]!.resolve();
    }
    await stopping;
    assert.equal(sent(), 5);
    assert.equal(sizes.at(-1), 0);
  });

  it('shuts down at once when nothing is queued', async () => {
    const { queue } = gatedQueue(2, 10);
    await queue.shutdown();
    assert.equal(queue.size, 0);
  });
});
