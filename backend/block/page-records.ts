import { TracelakeError } from '../../pipeline/errors.ts';
import { compareTraceIdAt, TRACE_ID_BYTES } from './trace-id.ts';

/**
 * An uncompressed page: records sorted by trace ID, each `trace ID (16) | varint length | encoded Trace`.
 * Filled by `append`, emptied by `take`.
 */
export class PageBuilder {
  #buf: Uint8Array;
  #len = 0;
  #records = 0;

  constructor(initialBytes: number) {
    this.#buf = new Uint8Array(Math.max(64, initialBytes));
  }

  get byteLength(): number {
    return this.#len;
  }

  get records(): number {
    return this.#records;
  }

  append(traceId: Uint8Array, trace: Uint8Array): void {
    this.#reserve(TRACE_ID_BYTES + 5 + trace.length);
    const buf = this.#buf;
    buf.set(traceId.subarray(0, TRACE_ID_BYTES), this.#len);
    let at = this.#len + TRACE_ID_BYTES;
    let n = trace.length;
    while (n >= 0x80) {
      buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[at++] = n;
    buf.set(trace, at);
    this.#len = at + trace.length;
    this.#records++;
  }

  /** The page so far (a view, valid until the next append), and a fresh start. */
  take(): Uint8Array {
    const page = this.#buf.subarray(0, this.#len);
    this.#len = 0;
    this.#records = 0;
    return page;
  }

  #reserve(extra: number): void {
    if (this.#len + extra <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + extra));
    grown.set(this.#buf.subarray(0, this.#len));
    this.#buf = grown;
  }
}

/** Where the record starting at `idAt` keeps its trace bytes; throws TracelakeError past the page's end. */
export function recordAt(page: Uint8Array, idAt: number): { dataAt: number; length: number } {
  if (idAt + TRACE_ID_BYTES > page.length) throw new TracelakeError(`page record at byte ${idAt} is cut short`);
  let at = idAt + TRACE_ID_BYTES;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= page.length || shift > 28) throw new TracelakeError(`malformed page record at byte ${idAt}`);
    const b = page[at++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (at + length > page.length) throw new TracelakeError(`page record at byte ${idAt} runs past the page`);
  return { dataAt: at, length };
}

/** The encoded Trace of `traceId` in an uncompressed page; throws TracelakeError if the page is malformed. */
export function findRecord(page: Uint8Array, traceId: Uint8Array): Uint8Array | undefined {
  let at = 0;
  while (at < page.length) {
    const { dataAt, length } = recordAt(page, at);
    const cmp = compareTraceIdAt(traceId, page, at);
    if (cmp === 0) return page.subarray(dataAt, dataAt + length);
    if (cmp < 0) return undefined; // records are sorted: it would have come already
    at = dataAt + length;
  }
  return undefined;
}
