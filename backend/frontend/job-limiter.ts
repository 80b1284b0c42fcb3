import { QueueFullError } from '../../pipeline/errors.ts';

export interface JobLimiterOptions {
  /** Jobs running at once, over every request. */
  readonly concurrency: number;
  /** Jobs waiting for a slot; a request whose jobs would exceed it is refused whole. */
  readonly maxWaiting: number;
}

/** A counting semaphore for query jobs, shared by every request, with a bounded wait list. */
export class JobLimiter {
  readonly #concurrency: number;
  readonly #maxWaiting: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(options: JobLimiterOptions) {
    this.#concurrency = options.concurrency;
    this.#maxWaiting = options.maxWaiting;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Runs every task, at most `concurrency` at once across all callers, and settles each; throws
   * QueueFullError (429) before starting any when they would not all fit in the wait list.
   */
  async runAll<T>(tasks: readonly (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    const free = Math.max(0, this.#concurrency - this.#running);
    if (this.#waiting.length + Math.max(0, tasks.length - free) > this.#maxWaiting) {
      throw new QueueFullError(`too many query jobs waiting (${this.#waiting.length}), try again later`);
    }
    return Promise.allSettled(tasks.map((task) => this.#run(task)));
  }

  async #run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.#concurrency) this.#running++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the releaser hands its slot over
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#running--;
    }
  }
}
