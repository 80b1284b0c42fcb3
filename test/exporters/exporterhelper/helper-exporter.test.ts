import assert from 'node:assert/strict';
import type { Registry } from 'prom-client';
import { HelperExporter, type HelperExporterOptions } from '../../../exporters/exporterhelper/helper-exporter.ts';
import type { PushTraces } from '../../../exporters/exporterhelper/push.ts';
import { PermanentError, QueueFullError, RetryableError } from '../../../pipeline/errors.ts';
import { fakeBatch } from '../../processors/batch/fake-batch.ts';
import { deferred, testSettings, until } from '../../receivers/otlp/receiver-harness.ts';

const HOST = { signal: new AbortController().signal };

function options(overrides: Partial<HelperExporterOptions> = {}): HelperExporterOptions {
  return {
    timeoutMs: 0,
    retry: { enabled: true, initialIntervalMs: 1, randomizationFactor: 0, multiplier: 1, maxIntervalMs: 1, maxElapsedMs: 0 },
    queue: { enabled: false, numConsumers: 1, queueSize: 2 },
    ...overrides,
  };
}

async function metric(registry: Registry, name: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)!.get()).values;
  return values.find((v) => v.labels.exporter === 'test')?.value ?? 0;
}

describe('HelperExporter', () => {
  it('settles consumeTraces with the delivery when the queue is off', async () => {
    const gate = deferred();
    const settings = testSettings('test');
    const exporter = new HelperExporter(settings, () => gate.promise, options());
    await exporter.start(HOST);
    let settled = false;
    const pending = exporter.consumeTraces(fakeBatch([3]), {}).then(() => { settled = true; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    gate.resolve();
    await pending;
    assert.equal(await metric(settings.metrics, 'tracelake_exporter_sent_spans_total'), 3);
    await exporter.shutdown();
  });

  it('hands a permanent failure to the caller and counts the spans as failed', async () => {
    const settings = testSettings('test');
    const exporter = new HelperExporter(settings, async () => { throw new PermanentError('too big'); }, options());
    await exporter.start(HOST);
    await assert.rejects(exporter.consumeTraces(fakeBatch([2]), {}), PermanentError);
    assert.equal(await metric(settings.metrics, 'tracelake_exporter_send_failed_spans_total'), 2);
    await exporter.shutdown();
  });

  it('wraps timeout inside retry: a slow attempt is cut and tried again', async () => {
    let attempts = 0;
    const push: PushTraces = (_b, _c, signal) => {
      if (++attempts > 1) return Promise.resolve();
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const exporter = new HelperExporter(testSettings('test'), push, options({ timeoutMs: 5 }));
    await exporter.start(HOST);
    await exporter.consumeTraces(fakeBatch([1]), {});
    assert.equal(attempts, 2);
    await exporter.shutdown();
  });

  it('with the queue on, resolves at enqueue and refuses with QueueFullError when full', async () => {
    const gate = deferred();
    const settings = testSettings('test');
    const exporter = new HelperExporter(settings, () => gate.promise,
      options({ queue: { enabled: true, numConsumers: 1, queueSize: 2 } }));
    await exporter.start(HOST);
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(fakeBatch([1]), {});
    assert.equal(await metric(settings.metrics, 'tracelake_exporter_queue_size'), 2);
    await assert.rejects(exporter.consumeTraces(fakeBatch([4]), {}), QueueFullError);
    assert.equal(await metric(settings.metrics, 'tracelake_exporter_enqueue_failed_spans_total'), 4);
    gate.resolve();
    await exporter.shutdown();
    assert.equal(await metric(settings.metrics, 'tracelake_exporter_sent_spans_total'), 3);
    assert.equal(await metric(settings.metrics, 'tracelake_exporter_queue_size'), 0);
  });

  it('drains the queue on shutdown before running the shutdown hook', async () => {
    const events: string[] = [];
    const gate = deferred();
    const exporter = new HelperExporter(testSettings('test'), async () => {
      await gate.promise;
      events.push('sent');
    }, options({
      queue: { enabled: true, numConsumers: 2, queueSize: 10 },
      shutdown: async () => { events.push('closed'); },
    }));
    await exporter.start(HOST);
    for (let i = 0; i < 4; i++) await exporter.consumeTraces(fakeBatch([1]), {});
    const stopping = exporter.shutdown();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, []);
    gate.resolve();
    await stopping;
    assert.deepEqual(events, ['sent', 'sent', 'sent', 'sent', 'closed']);
  });

  it('answers a caller waiting on retries with a RetryableError when shutting down', async () => {
    let attempts = 0;
    const exporter = new HelperExporter(testSettings('test'), async () => {
      attempts++;
      throw new RetryableError('kafka down');
    }, options({ retry: { ...options().retry, initialIntervalMs: 3_600_000, maxIntervalMs: 3_600_000 } }));
    await exporter.start(HOST);
    const pending = exporter.consumeTraces(fakeBatch([1]), {});
    await until(() => attempts === 1);
    await exporter.shutdown();
    await assert.rejects(pending, (err: unknown) => err instanceof RetryableError && /shutdown/.test(err.message));
  });

  it('refuses data before start and after shutdown, and shuts down idempotently', async () => {
    let closed = 0;
    const exporter = new HelperExporter(testSettings('test'), async () => {}, options({ shutdown: async () => { closed++; } }));
    await assert.rejects(exporter.consumeTraces(fakeBatch([1]), {}), RetryableError);
    await exporter.start(HOST);
    await exporter.consumeTraces(fakeBatch([1]), {});
    await Promise.all([exporter.shutdown(), exporter.shutdown()]);
    await exporter.shutdown();
    assert.equal(closed, 1);
    await assert.rejects(exporter.consumeTraces(fakeBatch([1]), {}), RetryableError);
  });
});
