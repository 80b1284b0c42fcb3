import { compareTraceIdAt, traceIdToHex, TRACE_ID_BYTES } from './trace-id.ts';

/** Trace IDs copied into one growing buffer: 16 bytes each, no object per ID until `views()`. */
export class PackedIds {
  #buf = new Uint8Array(1024 * TRACE_ID_BYTES);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  push(id: Uint8Array): void {
    const at = this.#count * TRACE_ID_BYTES;
    if (at + TRACE_ID_BYTES > this.#buf.length) {
      const grown = new Uint8Array(this.#buf.length * 2);
      grown.set(this.#buf.subarray(0, at));
      this.#buf = grown;
    }
    this.#buf.set(id.subarray(0, TRACE_ID_BYTES), at);
    this.#count++;
  }

  /** `id` compared with the last ID pushed (positive when `id` is greater); 1 when empty. */
  compareWithLast(id: Uint8Array): number {
    return this.#count === 0 ? 1 : compareTraceIdAt(id, this.#buf, (this.#count - 1) * TRACE_ID_BYTES);
  }

  /** A copy of the i-th ID (the buffer moves when it grows). */
  at(i: number): Uint8Array {
    return this.#buf.slice(i * TRACE_ID_BYTES, (i + 1) * TRACE_ID_BYTES);
  }

  hex(i: number): string {
    return traceIdToHex(this.#buf.subarray(i * TRACE_ID_BYTES, (i + 1) * TRACE_ID_BYTES));
  }

  /** Views of every ID, for building bloom filters. */
  views(): Uint8Array[] {
    return Array.from({ length: this.#count }, (_, i) => this.#buf.subarray(i * TRACE_ID_BYTES, (i + 1) * TRACE_ID_BYTES));
  }
}
