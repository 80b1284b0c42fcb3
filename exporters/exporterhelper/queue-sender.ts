import type { RequestContext } from '../../pipeline/component.ts';
import { QueueFullError, RetryableError } from '../../pipeline/errors.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';

interface Request {
  readonly batch: TraceBatch;
  readonly ctx: RequestContext;
}

export interface QueueSenderOptions {
  readonly numConsumers: number;
  readonly queueSize: number;
  /** Sends one request; must not reject (the outcome is the caller's to log and count). */
  readonly send: (batch: TraceBatch, ctx: RequestContext) => Promise<void>;
  /** Told the number of waiting requests whenever it changes. */
  readonly onSizeChange?: (size: number) => void;
}

/**
 * The Collector's bounded in-memory sending queue: `offer` takes a request or refuses it with
 * QueueFullError (never a silent drop); up to `numConsumers` requests are sent at once; `shutdown`
 * refuses new requests and resolves once every queued one was sent.
 */
export class QueueSender {
  readonly #options: QueueSenderOptions;
  #waiting: (Request | undefined)[] = [];
  /** Index of the first request not yet taken. */
  #head = 0;
  #consumers = 0;
  #stopped = false;
  #drained: (() => void) | undefined;

  constructor(options: QueueSenderOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#waiting.length - this.#head;
  }

  offer(batch: TraceBatch, ctx: RequestContext): void {
    if (this.#stopped) throw new RetryableError('sending queue is shutting down');
    if (this.size >= this.#options.queueSize) {
      throw new QueueFullError(`sending queue is full (${this.#options.queueSize} requests)`);
    }
    this.#waiting.push({ batch, ctx });
    this.#options.onSizeChange?.(this.size);
    if (this.#consumers < this.#options.numConsumers) void this.#consume();
  }

  shutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#consumers === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
  }

  async #consume(): Promise<void> {
    this.#consumers++;
    for (let request = this.#take(); request !== undefined; request = this.#take()) {
      await this.#options.send(request.batch, request.ctx);
    }
    if (--this.#consumers === 0 && this.#stopped) this.#drained?.();
  }

  #take(): Request | undefined {
    if (this.size === 0) return undefined;
    const request = this.#waiting[this.#head];
    this.#waiting[this.#head++] = undefined; // let the batch be collected
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
    this.#options.onSizeChange?.(this.size);
    return request;
  }
}
