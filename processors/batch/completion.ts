/**
 * The promise one consumeTraces call returns. Its spans may be sent in several batches (split at
 * send_batch_max_size): it resolves when all of them were accepted downstream and rejects with the first
 * failure.
 */
export class Completion {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (err: unknown) => void;
  #outstanding = 1;
  #settled = false;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** One more batch carries some of these spans. */
  split(): void {
    this.#outstanding++;
  }

  done(): void {
    if (--this.#outstanding === 0 && !this.#settled) {
      this.#settled = true;
      this.#resolve();
    }
  }

  fail(err: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(err);
  }
}
