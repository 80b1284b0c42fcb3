import assert from 'node:assert/strict';
import type { Message } from 'kafkajs';
import type { OutgoingRecord } from '../../../exporters/kafka/build-records.ts';
import { ProduceBatcher } from '../../../exporters/kafka/produce-batcher.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { deferred } from '../../receivers/otlp/receiver-harness.ts';

function records(...names: string[]): OutgoingRecord[] {
  return names.map((name) => ({ message: { key: null, value: Buffer.from(name) }, bytes: 100 }));
}

/** A batcher whose sends wait for the test to settle them. */
function gated(maxCallBytes = 100_000, lingerMs = 0) {
  const calls: { messages: Message[]; gate: ReturnType<typeof deferred<void>> }[] = [];
  const batcher = new ProduceBatcher({
    maxCallBytes,
    lingerMs,
    send: (messages) => {
      const gate = deferred();
      calls.push({ messages, gate });
      return gate.promise;
    },
  });
  return { batcher, calls, values: (i: number) => calls[i]!.messages.map((m) => String(m.value)) };
}

function tracked(promise: Promise<void>): { settled: () => string; promise: Promise<void> } {
  let state = 'pending';
  const p = promise.then(() => { state = 'resolved'; }, () => { state = 'rejected'; });
  return { settled: () => state, promise: p };
}

describe('ProduceBatcher', () => {
  it('sends the records of calls made in the same tick in one call', async () => {
    const { batcher, calls, values } = gated();
    const a = tracked(batcher.produce(records('a1', 'a2')));
    const b = tracked(batcher.produce(records('b1')));
    assert.equal(calls.length, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1);
    assert.deepEqual(values(0), ['a1', 'a2', 'b1']);
    assert.equal(a.settled(), 'pending', 'not before Kafka acknowledged');
    calls[0]!.gate.resolve();
    await Promise.all([a.promise, b.promise]);
    assert.equal(a.settled(), 'resolved');
    assert.equal(b.settled(), 'resolved');
  });

  it('waits for the linger when one is set', async () => {
    const { batcher, calls } = gated(100_000, 2);
    void batcher.produce(records('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const late = batcher.produce(records('b'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.messages.length, 2);
    calls[0]!.gate.resolve();
    await late;
  });

  it('rejects every caller whose records were in a failed call', async () => {
    const { batcher, calls } = gated();
    const a = batcher.produce(records('a'));
    const b = batcher.produce(records('b'));
    await new Promise((resolve) => setImmediate(resolve));
    const failure = new RetryableError('broker down');
    calls[0]!.gate.reject(failure);
    await assert.rejects(a, (err) => err === failure);
    await assert.rejects(b, (err) => err === failure);
  });

  it('cuts calls at maxCallBytes and settles a caller only when all of its calls did', async () => {
    const { batcher, calls } = gated(61 + 250); // two 100-byte records per call
    const a = tracked(batcher.produce(records('a1', 'a2', 'a3')));
    const b = tracked(batcher.produce(records('b1')));
    assert.equal(calls.length, 2, 'flushed at once: enough bytes were waiting');
    assert.deepEqual(calls.map((c) => c.messages.length), [2, 2]);
    calls[0]!.gate.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(a.settled(), 'pending', 'a3 is in the second call');
    calls[1]!.gate.resolve();
    await Promise.all([a.promise, b.promise]);
    assert.equal(a.settled(), 'resolved');
  });

  it('resolves at once for no records', async () => {
    const { batcher, calls } = gated();
    await batcher.produce([]);
    assert.equal(calls.length, 0);
  });
});
