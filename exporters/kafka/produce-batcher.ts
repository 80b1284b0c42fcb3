import type { Message } from 'kafkajs';
import type { OutgoingRecord } from './build-records.ts';
import { Completion } from '../../pipeline/completion.ts';
import { BATCH_OVERHEAD } from './record-size.ts';

export interface ProduceBatcherOptions {
  /** One produce call (a kafkajs sendBatch); resolves once Kafka acknowledged every message. */
  readonly send: (messages: Message[]) => Promise<void>;
  /**
   * Most record bytes in one call: kafkajs puts a call's messages for one partition in a single record
   * batch, which the broker refuses above its message size limit.
   */
  readonly maxCallBytes: number;
  /** How long the first caller waits for company; 0 = until the current I/O phase ends (setImmediate). */
  readonly lingerMs: number;
}

interface Pending {
  readonly records: readonly OutgoingRecord[];
  readonly waiter: Completion;
}

/**
 * Coalesces concurrent produce calls into few sendBatch calls, so a busy gateway makes few produce
 * requests. Each caller resolves only when every one of its records was acknowledged.
 */
export class ProduceBatcher {
  readonly #options: ProduceBatcherOptions;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #immediate: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ProduceBatcherOptions) {
    this.#options = options;
  }

  produce(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const waiter = new Completion();
    this.#pending.push({ records, waiter });
    for (const r of records) this.#pendingBytes += r.bytes;
    if (this.#pendingBytes >= this.#options.maxCallBytes) this.flush();
    else if (this.#immediate === undefined && this.#timer === undefined) this.#schedule();
    return waiter.promise;
  }

  /** Sends everything pending now. */
  flush(): void {
    clearImmediate(this.#immediate);
    clearTimeout(this.#timer);
    this.#immediate = undefined;
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    const limit = this.#options.maxCallBytes - BATCH_OVERHEAD;
    let messages: Message[] = [];
    let waiters = new Set<Completion>();
    let bytes = 0;
    for (const { records, waiter } of pending) {
      for (const record of records) {
        if (messages.length > 0 && bytes + record.bytes > limit) {
          this.#send(messages, waiters);
          messages = [];
          waiters = new Set();
          bytes = 0;
        }
        messages.push(record.message);
        bytes += record.bytes;
        if (!waiters.has(waiter)) {
          waiters.add(waiter);
          waiter.add();
        }
      }
    }
    if (messages.length > 0) this.#send(messages, waiters);
  }

  #schedule(): void {
    const { lingerMs } = this.#options;
    // Not unref'ed: callers are waiting on this flush, and it is due within milliseconds.
    if (lingerMs > 0) this.#timer = setTimeout(() => this.flush(), lingerMs);
    else this.#immediate = setImmediate(() => this.flush());
  }

  #send(messages: Message[], waiters: ReadonlySet<Completion>): void {
    let sent: Promise<void>;
    try {
      sent = this.#options.send(messages);
    } catch (err) {
      sent = Promise.reject(err);
    }
    void sent.then(
      () => { for (const w of waiters) w.done(); },
      (err: unknown) => { for (const w of waiters) w.fail(err); },
    );
  }
}
