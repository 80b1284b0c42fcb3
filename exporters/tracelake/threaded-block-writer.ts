import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { BlockMeta } from '../../backend/block/block-meta.ts';
import type { WriteBlockOptions } from '../../backend/block/write-block.ts';
import { RetryableError } from '../../pipeline/errors.ts';
import { packWriteRequest, type WriteReply } from './block-write-messages.ts';
import type { ObjectStoreSettings } from './settings.ts';

interface Pending {
  resolve(meta: BlockMeta): void;
  reject(err: Error): void;
}

/**
 * writeBlock on a thread of its own: compressing pages and building bloom filters takes a few hundred
 * milliseconds per 50,000 spans, during which the event loop would neither consume nor answer queries.
 * The thread opens its own object store from the same settings. A thread that dies fails the writes in
 * flight (retryable) and is started again by the next write.
 */
export class ThreadedBlockWriter {
  readonly #store: ObjectStoreSettings;
  readonly #logger: Logger;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #next = 1;

  constructor(store: ObjectStoreSettings, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  write(options: WriteBlockOptions): Promise<BlockMeta> {
    const worker = this.#worker ?? this.#spawn();
    const id = this.#next++;
    const { request, transfer } = packWriteRequest(id, options);
    return new Promise<BlockMeta>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage(request, transfer);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
    this.#failAll(new RetryableError('block writer closed'));
  }

  #spawn(): Worker {
    const worker = new Worker(new URL('./block-write-worker.ts', import.meta.url), { workerData: this.#store });
    worker.unref();
    worker.on('message', (reply: WriteReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if ('error' in reply) pending?.reject(new RetryableError(`block write failed: ${reply.error}`));
      else pending?.resolve(reply.meta as BlockMeta);
    });
    const lost = (cause: unknown): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#logger.error({ err: cause }, 'block writer thread stopped; the next write starts another');
      this.#failAll(new RetryableError('block writer thread stopped', { cause }));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(err: Error): void {
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}
