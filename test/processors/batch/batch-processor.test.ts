import assert from 'node:assert/strict';
import { QueueFullError, RetryableError } from '../../../pipeline/errors.ts';
import type { BatchProcessorConfig } from '../../../processors/batch/config.ts';
import { batchProcessorFactory } from '../../../processors/batch/factory.ts';
import { deferred, RecordingConsumer, testSettings, until } from '../../receivers/otlp/receiver-harness.ts';
import { fakeBatch, spanIdsOf } from './fake-batch.ts';

function create(overrides: Partial<BatchProcessorConfig>): { processor: ReturnType<typeof batchProcessorFactory.createTraces>; next: RecordingConsumer } {
  const next = new RecordingConsumer();
  const config = { ...batchProcessorFactory.createDefaultConfig(), ...overrides };
  return { processor: batchProcessorFactory.createTraces(testSettings('batch'), config, next), next };
}

/** Tracks whether a promise settled yet. */
function watch(promise: Promise<void>): { settled: () => boolean; promise: Promise<void> } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  return { settled: () => settled, promise: tracked };
}

describe('BatchProcessor', () => {
  it('sends at once when send_batch_size is reached, merging the callers\' spans', async () => {
    const { processor, next } = create({ send_batch_size: 10, timeout: '1h' });
    const a = fakeBatch([4]);
    const b = fakeBatch([3], [3]);
    const done = [processor.consumeTraces(a, {}), processor.consumeTraces(b, {})];
    assert.equal(next.calls.length, 1);
    await Promise.all(done);
    const sent = next.calls[0]!.batch;
    assert.equal(sent.spanCount, 10);
    assert.deepEqual(spanIdsOf(sent.resourceSpans), [...spanIdsOf(a.resourceSpans), ...spanIdsOf(b.resourceSpans)]);
    assert.equal(sent.resourceSpans[0], a.resourceSpans[0]);
    await processor.shutdown();
  });

  it('holds a small batch and its caller until the timeout', async () => {
    const { processor, next } = create({ send_batch_size: 100, timeout: '20ms' });
    const caller = watch(processor.consumeTraces(fakeBatch([3]), {}));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(next.calls.length, 0);
    assert.equal(caller.settled(), false);
    await caller.promise;
    assert.equal(next.calls.length, 1);
    assert.equal(next.calls[0]!.batch.spanCount, 3);
    await processor.shutdown();
  });

  it('splits batches larger than send_batch_max_size and settles the caller after the last part', async () => {
    const { processor, next } = create({ send_batch_size: 5, send_batch_max_size: 5, timeout: '20ms' });
    const input = fakeBatch([4, 4], [4]);
    const caller = watch(processor.consumeTraces(input, {}));
    assert.deepEqual(next.calls.map((c) => c.batch.spanCount), [5, 5]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(caller.settled(), false);
    await caller.promise;
    assert.deepEqual(next.calls.map((c) => c.batch.spanCount), [5, 5, 2]);
    const sent = next.calls.flatMap((c) => spanIdsOf(c.batch.resourceSpans));
    assert.deepEqual(sent, spanIdsOf(input.resourceSpans));
    await processor.shutdown();
  });

  it('keeps each tenant\'s spans in batches of their own', async () => {
    const { processor, next } = create({ send_batch_size: 4, timeout: '1h' });
    const pending = [
      processor.consumeTraces(fakeBatch([2]), { tenant: 'a' }),
      processor.consumeTraces(fakeBatch([2]), { tenant: 'b' }),
      processor.consumeTraces(fakeBatch([2]), {}),
    ];
    assert.equal(next.calls.length, 0);
    pending.push(processor.consumeTraces(fakeBatch([2]), { tenant: 'a' }));
    assert.equal(next.calls.length, 1);
    assert.deepEqual(next.calls[0]!.ctx, { tenant: 'a' });
    assert.equal(next.calls[0]!.batch.spanCount, 4);
    await processor.shutdown();
    await Promise.all(pending);
    assert.deepEqual(next.calls.map((c) => c.ctx.tenant).sort(), ['a', 'b', undefined]);
  });

  it('rejects every caller with spans in a failed batch, and only those', async () => {
    const { processor, next } = create({ send_batch_size: 4, send_batch_max_size: 4, timeout: '1h' });
    const failure = new RetryableError('storage down');
    let call = 0;
    next.behaviour = async () => {
      if (call++ === 0) throw failure;
    };
    const first = processor.consumeTraces(fakeBatch([2]), {});
    const second = processor.consumeTraces(fakeBatch([3]), {}); // 2 spans in the failed batch, 1 in the next
    const third = processor.consumeTraces(fakeBatch([3]), {});
    await assert.rejects(first, failure);
    await assert.rejects(second, failure);
    await third;
    assert.deepEqual(next.calls.map((c) => c.batch.spanCount), [4, 4]);
    await processor.shutdown();
  });

  it('sends everything pending on shutdown and waits for it downstream', async () => {
    const { processor, next } = create({ send_batch_size: 100, timeout: '1h' });
    const release = deferred();
    next.behaviour = () => release.promise;
    const callers = [processor.consumeTraces(fakeBatch([3]), { tenant: 'a' }), processor.consumeTraces(fakeBatch([1]), {})];
    const shutdown = watch(processor.shutdown());
    assert.equal(next.calls.length, 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(shutdown.settled(), false);
    release.resolve();
    await shutdown.promise;
    await Promise.all(callers);
    await assert.rejects(processor.consumeTraces(fakeBatch([1]), {}), RetryableError);
  });

  it('sends at once with timeout 0, and resolves an empty batch without sending', async () => {
    const { processor, next } = create({ send_batch_size: 100, timeout: 0 });
    await processor.consumeTraces(fakeBatch([0]), {});
    assert.equal(next.calls.length, 0);
    await processor.consumeTraces(fakeBatch([2]), {});
    assert.equal(next.calls.length, 1);
    await processor.shutdown();
  });

  it('refuses a new tenant past metadata_cardinality_limit', async () => {
    const { processor, next } = create({ send_batch_size: 100, timeout: '1h', metadata_cardinality_limit: 1 });
    const first = processor.consumeTraces(fakeBatch([1]), { tenant: 'a' });
    await assert.rejects(processor.consumeTraces(fakeBatch([1]), { tenant: 'b' }), QueueFullError);
    await processor.shutdown();
    await first;
    assert.equal(next.calls.length, 1);
  });

  it('counts sends by trigger', async () => {
    const settings = testSettings('batch/x');
    const next = new RecordingConsumer();
    const config = { ...batchProcessorFactory.createDefaultConfig(), send_batch_size: 2, timeout: '5ms' };
    const processor = batchProcessorFactory.createTraces(settings, config, next);
    await processor.consumeTraces(fakeBatch([2]), {});
    await processor.consumeTraces(fakeBatch([1]), {});
    await until(() => next.calls.length === 2);
    const text = await settings.metrics.metrics();
    assert.match(text, /tracelake_processor_batch_batch_size_trigger_send_total\{processor="batch\/x"\} 1/);
    assert.match(text, /tracelake_processor_batch_timeout_trigger_send_total\{processor="batch\/x"\} 1/);
    await processor.shutdown();
  });
});
