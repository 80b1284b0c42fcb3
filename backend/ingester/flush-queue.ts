import type { Logger } from 'pino';
import type { TraceSet } from './trace-set.ts';

/** A cut head on its way to object storage. Its ID is fixed at the cut, so a retry rewrites the same block. */
export interface CutBlock {
  readonly tenant: string;
  readonly blockID: string;
  readonly set: TraceSet;
}

export interface FlushQueueOptions {
  /** Writes and announces the block; a rejection is retried. */
  readonly flush: (block: CutBlock) => Promise<void>;
  /** After `flush` succeeded: drop what the block held. Must not reject. */
  readonly release: (block: CutBlock) => Promise<void>;
  readonly logger: Logger;
  readonly onFailure?: () => void;
}

const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 30_000;
/** Once stopping, give up after this many failures in a row: the WAL keeps the data for the next start. */
const ATTEMPTS_WHEN_STOPPING = 3;

/** Flushes cut blocks one at a time, oldest first, retrying failures with backoff; nothing is dropped. */
export class FlushQueue {
  /** Blocks not yet flushed and announced, oldest first; still served from the WAL. */
  readonly blocks: CutBlock[] = [];
  readonly #options: FlushQueueOptions;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #lastError: unknown;

  constructor(options: FlushQueueOptions) {
    this.#options = options;
  }

  enqueue(block: CutBlock): void {
    this.blocks.push(block);
    this.#loop ??= this.#run();
  }

  /** Resolves when the queue is empty, or (once stopping) when it gave up; never rejects. */
  async idle(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  /** Retries at once and gives up after a few more failures. */
  stop(): void {
    this.#stopping = true;
    this.#wake?.();
  }

  /** Why the last flush failed, when blocks are left after stopping. */
  get lastError(): unknown {
    return this.#lastError;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.blocks.length > 0) {
      const block = this.blocks[0];
      try {
        await this.#options.flush(block);
      } catch (err) {
        failures++;
        this.#lastError = err;
        this.#options.onFailure?.();
        if (this.#stopping && failures >= ATTEMPTS_WHEN_STOPPING) break;
        const retryInMs = this.#stopping ? INITIAL_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (failures - 1));
        this.#options.logger.warn({ err, tenant: block.tenant, blockID: block.blockID, attempt: failures, retryInMs }, 'block flush failed');
        await this.#sleep(retryInMs);
        continue;
      }
      failures = 0;
      this.blocks.shift();
      await this.#options.release(block);
    }
    this.#loop = undefined;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      // While stopping, shutdown awaits this retry: an unref'ed timer would let the event loop empty first.
      if (!this.#stopping) timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}
