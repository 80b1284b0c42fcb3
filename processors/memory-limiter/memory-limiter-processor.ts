import { performance } from 'node:perf_hooks';
import type { Counter } from 'prom-client';
import type { CreateSettings, RequestContext, TracesComponent, TracesConsumer } from '../../pipeline/component.ts';
import { RetryableError } from '../../pipeline/errors.ts';
import { counter } from '../../pipeline/telemetry.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { MemoryLimits } from './memory-limits.ts';
import { MemoryMonitor } from './memory-monitor.ts';

export interface MemoryLimiterOptions {
  readonly limits: MemoryLimits;
  readonly checkIntervalMs: number;
  readonly minGcIntervalSoftMs: number;
  readonly minGcIntervalHardMs: number;
  /**
   * Resident set size, not V8 heap: span payloads live in Buffers outside the heap, and RSS is what the
   * kernel's OOM killer and a container's cgroup limit count.
   */
  readonly readMemory?: () => number;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
  /** Forces a garbage collection; defaults to global.gc, present when node runs with --expose-gc. */
  readonly gc?: (() => void) | undefined;
}

/** The Collector's memory_limiter: refuses data with a retryable error while memory is above the soft limit. */
export class MemoryLimiterProcessor implements TracesComponent {
  readonly #next: TracesConsumer;
  readonly #monitor: MemoryMonitor;
  readonly #checkIntervalMs: number;
  readonly #refused: Counter.Internal;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(settings: CreateSettings, options: MemoryLimiterOptions, next: TracesConsumer) {
    this.#next = next;
    this.#checkIntervalMs = options.checkIntervalMs;
    this.#monitor = new MemoryMonitor({
      limits: options.limits,
      readMemory: options.readMemory ?? (() => process.memoryUsage.rss()),
      now: options.now ?? (() => performance.now()),
      gc: 'gc' in options ? options.gc : globalThis.gc,
      minGcIntervalSoftMs: options.minGcIntervalSoftMs,
      minGcIntervalHardMs: options.minGcIntervalHardMs,
      logger: settings.logger,
    });
    this.#refused = counter(settings.metrics, 'tracelake_processor_memory_limiter_refused_spans_total',
      'Spans refused because memory usage was above the soft limit.', ['processor']).labels({ processor: settings.id });
    const { hardBytes, softBytes } = options.limits;
    settings.logger.info({ limit_mib: toMib(hardBytes), soft_limit_mib: toMib(softBytes), check_interval_ms: options.checkIntervalMs },
      'memory limiter configured');
  }

  async start(): Promise<void> {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#monitor.check();
    this.#timer = setInterval(() => this.#monitor.check(), this.#checkIntervalMs).unref();
  }

  /** Whether data is refused now; for tests and health reporting. */
  get refusing(): boolean {
    return this.#monitor.refusing;
  }

  /** Measures memory now instead of waiting for the next interval. */
  check(): void {
    this.#monitor.check();
  }

  consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    if (this.#monitor.refusing) {
      this.#refused.inc(batch.spanCount);
      return Promise.reject(new RetryableError('data refused due to high memory usage', {
        retryAfterSeconds: Math.max(1, Math.ceil(this.#checkIntervalMs / 1000)),
      }));
    }
    return this.#next.consumeTraces(batch, ctx);
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function toMib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
