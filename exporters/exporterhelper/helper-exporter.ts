import type { Counter, Gauge } from 'prom-client';
import type { CreateSettings, Host, RequestContext, TracesComponent } from '../../pipeline/component.ts';
import { RetryableError } from '../../pipeline/errors.ts';
import { counter, gauge } from '../../pipeline/telemetry.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { PushTraces } from './push.ts';
import { QueueSender } from './queue-sender.ts';
import { withRetry } from './retry-sender.ts';
import type { ExporterHelperSettings } from './settings.ts';
import { withTimeout } from './timeout-sender.ts';

export interface HelperExporterOptions extends ExporterHelperSettings {
  /** Runs before the exporter takes data (connect a client). */
  readonly start?: (host: Host) => Promise<void>;
  /** Runs after the queue drained (close a client). */
  readonly shutdown?: () => Promise<void>;
}

/**
 * The Collector's exporterhelper: an exporter is one push function, wrapped (inside out) by timeout per
 * attempt, retry with backoff and an optional bounded queue. Without the queue consumeTraces settles with
 * the delivery; with it, as soon as the request is queued.
 */
export class HelperExporter implements TracesComponent {
  readonly #settings: CreateSettings;
  readonly #options: HelperExporterOptions;
  readonly #stop = new AbortController();
  readonly #send: (batch: TraceBatch, ctx: RequestContext) => Promise<void>;
  readonly #queue: QueueSender | undefined;
  readonly #sent: Counter.Internal;
  readonly #failed: Counter.Internal;
  readonly #enqueueFailed: Counter.Internal;
  #started = false;
  #stopping: Promise<void> | undefined;

  constructor(settings: CreateSettings, push: PushTraces, options: HelperExporterOptions) {
    this.#settings = settings;
    this.#options = options;
    const signal = this.#stop.signal;
    const attempt = withRetry(withTimeout(push, options.timeoutMs),
      { settings: options.retry, logger: settings.logger, stop: signal });
    this.#send = (batch, ctx) => attempt(batch, ctx, signal);
    const labels = { exporter: settings.id };
    const { metrics } = settings;
    this.#sent = counter(metrics, 'tracelake_exporter_sent_spans_total',
      'Spans the exporter delivered.', ['exporter']).labels(labels);
    this.#failed = counter(metrics, 'tracelake_exporter_send_failed_spans_total',
      'Spans the exporter failed to deliver.', ['exporter']).labels(labels);
    this.#enqueueFailed = counter(metrics, 'tracelake_exporter_enqueue_failed_spans_total',
      'Spans refused because the sending queue was full.', ['exporter']).labels(labels);
    this.#queue = options.queue.enabled ? this.#createQueue(gauge(metrics, 'tracelake_exporter_queue_size',
      'Requests waiting in the sending queue.', ['exporter']).labels(labels)) : undefined;
  }

  async start(host: Host): Promise<void> {
    await this.#options.start?.(host);
    this.#started = true;
  }

  async consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    if (!this.#started || this.#stopping !== undefined) throw new RetryableError('exporter is not running');
    if (batch.spanCount === 0) return;
    if (this.#queue === undefined) return this.#deliver(batch, ctx);
    try {
      this.#queue.offer(batch, ctx);
    } catch (err) {
      this.#enqueueFailed.inc(batch.spanCount);
      throw err;
    }
  }

  /** Idempotent: refuses new data, sends what is queued (without further retries), then runs `shutdown`. */
  shutdown(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async #stopAll(): Promise<void> {
    this.#stop.abort();
    await this.#queue?.shutdown();
    await this.#options.shutdown?.();
  }

  async #deliver(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    try {
      await this.#send(batch, ctx);
    } catch (err) {
      this.#failed.inc(batch.spanCount);
      throw err;
    }
    this.#sent.inc(batch.spanCount);
  }

  #createQueue(size: Gauge.Internal<string>): QueueSender {
    const { numConsumers, queueSize } = this.#options.queue;
    size.set(0);
    return new QueueSender({
      numConsumers,
      queueSize,
      onSizeChange: (n) => size.set(n),
      // The client already had its answer: a failure here can only be logged and counted.
      send: (batch, ctx) => this.#deliver(batch, ctx).catch((err: unknown) => {
        this.#settings.logger.error({ err, spans: batch.spanCount }, 'queued export failed, data dropped');
      }),
    });
  }
}
