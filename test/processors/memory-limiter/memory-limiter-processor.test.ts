import assert from 'node:assert/strict';
import { RetryableError } from '../../../pipeline/errors.ts';
import { MemoryLimiterProcessor, type MemoryLimiterOptions } from '../../../processors/memory-limiter/memory-limiter-processor.ts';
import { exportStatusOf } from '../../../receivers/otlp/export-status.ts';
import { RecordingConsumer, testSettings } from '../../receivers/otlp/receiver-harness.ts';
import { metricValue } from '../../receivers/kafka/trace-records.ts';
import { fakeBatch } from '../batch/fake-batch.ts';

const MIB = 1024 * 1024;

/** A limiter with hard 100 MiB / soft 80 MiB whose memory reading, clock and GC the test drives. */
function limiter(overrides: Partial<MemoryLimiterOptions> = {}) {
  const state = { usedMib: 10, now: 0, gcs: 0, freedByGcMib: 0 };
  const settings = testSettings('memory_limiter');
  const next = new RecordingConsumer();
  const processor = new MemoryLimiterProcessor(settings, {
    limits: { hardBytes: 100 * MIB, softBytes: 80 * MIB },
    checkIntervalMs: 1000,
    minGcIntervalSoftMs: 10_000,
    minGcIntervalHardMs: 0,
    readMemory: () => state.usedMib * MIB,
    now: () => state.now,
    gc: () => {
      state.gcs++;
      state.usedMib -= state.freedByGcMib;
    },
    ...overrides,
  }, next);
  return { processor, next, state, settings };
}

describe('MemoryLimiterProcessor', () => {
  it('refuses with a retryable 503 error at or above the soft limit and accepts again below it', async () => {
    const { processor, next, state, settings } = limiter();
    await processor.start();
    await processor.consumeTraces(fakeBatch([2]), {});
    state.usedMib = 80;
    processor.check();
    const err = await processor.consumeTraces(fakeBatch([3]), {}).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof RetryableError);
    assert.equal(err.message, 'data refused due to high memory usage');
    assert.equal(exportStatusOf(err).httpStatus, 503);
    assert.equal(err.retryAfterSeconds, 1);
    state.usedMib = 79;
    processor.check();
    await processor.consumeTraces(fakeBatch([4]), { tenant: 't' });
    assert.deepEqual(next.calls.map((c) => c.batch.spanCount), [2, 4]);
    assert.equal(next.calls[1]!.ctx.tenant, 't');
    assert.equal(await metricValue(settings.metrics, 'tracelake_processor_memory_limiter_refused_spans_total',
      { processor: 'memory_limiter' }), 3);
    await processor.shutdown();
  });

  it('measures once at start, so a process already above the limit refuses from the first request', async () => {
    const { processor, state } = limiter();
    state.usedMib = 90;
    await processor.start();
    assert.equal(processor.refusing, true);
    await processor.shutdown();
    await processor.shutdown();
  });

  it('forces a GC on entering the soft limit and does not refuse when it brought usage back down', async () => {
    const { processor, state } = limiter();
    state.usedMib = 85;
    state.freedByGcMib = 20;
    processor.check();
    assert.equal(state.gcs, 1);
    assert.equal(processor.refusing, false);
    state.usedMib = 85;
    state.now = 5_000;
    processor.check();
    assert.equal(state.gcs, 1, 'no second soft-limit GC within min_gc_interval_when_soft_limited');
    assert.equal(processor.refusing, true);
  });

  it('forces a GC at the hard limit on every check when min_gc_interval_when_hard_limited is 0', () => {
    const { processor, state } = limiter();
    state.usedMib = 120;
    processor.check();
    processor.check();
    assert.equal(state.gcs, 2, 'one per check; the soft-limit GC is skipped, one just ran');
    assert.equal(processor.refusing, true);
  });

  it('still refuses when the GC cannot be forced (node without --expose-gc)', () => {
    const { processor, state } = limiter({ gc: undefined });
    state.usedMib = 120;
    processor.check();
    assert.equal(processor.refusing, true);
  });

  it('checks memory every check_interval with a timer that does not keep the process alive', async () => {
    let reads = 0;
    const { processor } = limiter({ checkIntervalMs: 5, readMemory: () => ++reads && 10 * MIB });
    await processor.start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.ok(reads >= 3, `read ${reads} times`);
    await processor.shutdown();
    const after = reads;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(reads, after, 'no checks after shutdown');
  });
});
