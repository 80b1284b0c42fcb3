/**
 * The promise of one caller whose data leaves in several parts (batches, produce calls): it resolves once
 * every part was accepted and rejects with the first failure.
 */
export class Completion {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (err: unknown) => void;
  #outstanding: number;
  #settled = false;

  /** `parts` already known to carry some of the data; `add()` counts more. */
  constructor(parts = 0) {
    this.#outstanding = parts;
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** One more part carries some of the data. */
  add(): void {
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
