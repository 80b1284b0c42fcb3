/**
 * One caller of ProduceBatcher.produce: its records may go out in several produce calls; it resolves when
 * all of them were acknowledged and rejects with the first failure.
 */
export class ProduceWaiter {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (err: unknown) => void;
  #outstanding = 0;
  #settled = false;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** One more produce call carries some of these records. */
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
