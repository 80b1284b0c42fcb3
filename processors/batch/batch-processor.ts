import type { Counter, Histogram } from 'prom-client';
import type { CreateSettings, RequestContext, TracesComponent, TracesConsumer } from '../../pipeline/component.ts';
import { QueueFullError, RetryableError } from '../../pipeline/errors.ts';
import { counter, histogram } from '../../pipeline/telemetry.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { PendingBatch, type Chunk } from './pending-batch.ts';

export interface BatchOptions {
  readonly sendBatchSize: number;
  /** Infinity for no bound. */
  readonly sendBatchMaxSize: number;
  readonly timeoutMs: number;
  /** Infinity for no limit. */
  readonly maxTenants: number;
}

type Trigger = 'size' | 'timeout' | 'shutdown';

const SEND_SIZE_BUCKETS = [10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000,
  10000, 20000, 30000, 50000, 100000];

/**
 * Batches spans per tenant, as the Collector's batch processor does, with one deliberate difference: a
 * consumeTraces call settles only when the batches holding its spans settled downstream, so a success
 * reply to the client still means "safely handed on".
 */
export class BatchProcessor implements TracesComponent {
  readonly #options: BatchOptions;
  readonly #next: TracesConsumer;
  readonly #pending = new Map<string | undefined, PendingBatch>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sendSize: Histogram.Internal<string>;
  readonly #triggers: Record<'size' | 'timeout', Counter.Internal>;
  #stopped: Promise<void> | undefined;

  constructor(settings: CreateSettings, options: BatchOptions, next: TracesConsumer) {
    this.#options = options;
    this.#next = next;
    const labels = { processor: settings.id };
    this.#sendSize = histogram(settings.metrics, 'tracelake_processor_batch_batch_send_size',
      'Spans per batch sent downstream.', { labelNames: ['processor'], buckets: SEND_SIZE_BUCKETS }).labels(labels);
    this.#triggers = {
      size: counter(settings.metrics, 'tracelake_processor_batch_batch_size_trigger_send_total',
        'Batches sent because send_batch_size was reached.', ['processor']).labels(labels),
      timeout: counter(settings.metrics, 'tracelake_processor_batch_timeout_trigger_send_total',
        'Batches sent because the timeout passed.', ['processor']).labels(labels),
    };
  }

  async start(): Promise<void> {}

  consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    if (this.#stopped !== undefined) return Promise.reject(new RetryableError('batch processor is shutting down'));
    if (batch.spanCount === 0) return Promise.resolve();
    let pending = this.#pending.get(ctx.tenant);
    if (pending === undefined) {
      if (this.#pending.size >= this.#options.maxTenants) {
        return Promise.reject(new QueueFullError('too many tenants with a batch pending (metadata_cardinality_limit)'));
      }
      pending = new PendingBatch();
      this.#pending.set(ctx.tenant, pending);
    }
    const done = pending.add(batch);
    this.#sendReady(ctx.tenant, pending);
    return done;
  }

  shutdown(): Promise<void> {
    this.#stopped ??= this.#drain();
    return this.#stopped;
  }

  async #drain(): Promise<void> {
    for (const [tenant, pending] of this.#pending) this.#sendAll(tenant, pending, 'shutdown');
    // Failures were handed to the callers waiting on those batches; here only their end matters.
    await Promise.allSettled(this.#inFlight);
  }

  #sendReady(tenant: string | undefined, pending: PendingBatch): void {
    const { sendBatchSize, sendBatchMaxSize, timeoutMs } = this.#options;
    while (pending.spanCount > 0 && (timeoutMs === 0 || pending.spanCount >= sendBatchSize)) {
      this.#send(tenant, pending.take(sendBatchMaxSize), 'size');
    }
    if (pending.spanCount === 0) this.#forget(tenant, pending);
    else pending.timer ??= setTimeout(() => this.#sendAll(tenant, pending, 'timeout'), timeoutMs).unref();
  }

  #sendAll(tenant: string | undefined, pending: PendingBatch, trigger: Trigger): void {
    while (pending.spanCount > 0) this.#send(tenant, pending.take(this.#options.sendBatchMaxSize), trigger);
    this.#forget(tenant, pending);
  }

  #forget(tenant: string | undefined, pending: PendingBatch): void {
    clearTimeout(pending.timer);
    pending.timer = undefined;
    this.#pending.delete(tenant);
  }

  #send(tenant: string | undefined, chunk: Chunk, trigger: Trigger): void {
    this.#sendSize.observe(chunk.batch.spanCount);
    if (trigger !== 'shutdown') this.#triggers[trigger].inc();
    const delivery = this.#deliver(tenant, chunk);
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
  }

  /** Never rejects: the outcome goes to every caller with spans in the chunk. */
  async #deliver(tenant: string | undefined, chunk: Chunk): Promise<void> {
    try {
      await this.#next.consumeTraces(chunk.batch, tenant === undefined ? {} : { tenant });
    } catch (err) {
      for (const completion of chunk.waiting) completion.fail(err);
      return;
    }
    for (const completion of chunk.waiting) completion.done();
  }
}
