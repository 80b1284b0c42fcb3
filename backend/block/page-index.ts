import { crc32 } from 'node:zlib';
import { TracelakeError } from '../../pipeline/errors.ts';
import { compareTraceIdAt, TRACE_ID_BYTES } from './trace-id.ts';

/** One compressed page of the data object. */
export interface PageRef {
  readonly firstId: Uint8Array;
  readonly lastId: Uint8Array;
  /** Byte offset and length of the compressed page in the data object. */
  readonly offset: number;
  readonly length: number;
  readonly uncompressedLength: number;
  readonly records: number;
}

// Header: magic "TLIX", version u8, 3 reserved, page count u32, crc32 of the entries u32.
// Entry: first ID 16, last ID 16, offset u64, length u32, uncompressed length u32, records u32.
const MAGIC = 0x58494c54; // "TLIX" little-endian
const VERSION = 1;
const HEADER_BYTES = 16;
const ENTRY_BYTES = 2 * TRACE_ID_BYTES + 20;

export function encodePageIndex(pages: readonly PageRef[]): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + pages.length * ENTRY_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint8(4, VERSION);
  view.setUint32(8, pages.length, true);
  pages.forEach((p, i) => {
    const at = HEADER_BYTES + i * ENTRY_BYTES;
    out.set(p.firstId, at);
    out.set(p.lastId, at + TRACE_ID_BYTES);
    const n = at + 2 * TRACE_ID_BYTES;
    view.setUint32(n, p.offset % 2 ** 32, true);
    view.setUint32(n + 4, Math.floor(p.offset / 2 ** 32), true);
    view.setUint32(n + 8, p.length, true);
    view.setUint32(n + 12, p.uncompressedLength, true);
    view.setUint32(n + 16, p.records, true);
  });
  view.setUint32(12, crc32(out.subarray(HEADER_BYTES)), true);
  return out;
}

/** The page index of one block, searched in place (binary search over the fixed-size entries). */
export class PageIndex {
  readonly bytes: Uint8Array;
  readonly pageCount: number;
  readonly #view: DataView;

  /** Checks magic, version, size and checksum; throws TracelakeError on a corrupt index. */
  constructor(bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new TracelakeError('not a page index');
    if (view.getUint8(4) !== VERSION) throw new TracelakeError(`unsupported page index version ${view.getUint8(4)}`);
    const pageCount = view.getUint32(8, true);
    if (bytes.length !== HEADER_BYTES + pageCount * ENTRY_BYTES) {
      throw new TracelakeError(`page index of ${bytes.length} bytes cannot hold ${pageCount} pages`);
    }
    if (view.getUint32(12, true) !== crc32(bytes.subarray(HEADER_BYTES))) throw new TracelakeError('page index checksum mismatch');
    this.bytes = bytes;
    this.pageCount = pageCount;
    this.#view = view;
  }

  /** The page whose [first, last] ID range holds `traceId`, if any. */
  find(traceId: Uint8Array): PageRef | undefined {
    let lo = 0;
    let hi = this.pageCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = HEADER_BYTES + mid * ENTRY_BYTES;
      if (compareTraceIdAt(traceId, this.bytes, at) < 0) hi = mid - 1;
      else if (compareTraceIdAt(traceId, this.bytes, at + TRACE_ID_BYTES) > 0) lo = mid + 1;
      else return this.page(mid);
    }
    return undefined;
  }

  page(i: number): PageRef {
    const at = HEADER_BYTES + i * ENTRY_BYTES;
    const n = at + 2 * TRACE_ID_BYTES;
    return {
      firstId: this.bytes.subarray(at, at + TRACE_ID_BYTES),
      lastId: this.bytes.subarray(at + TRACE_ID_BYTES, n),
      offset: this.#view.getUint32(n, true) + this.#view.getUint32(n + 4, true) * 2 ** 32,
      length: this.#view.getUint32(n + 8, true),
      uncompressedLength: this.#view.getUint32(n + 12, true),
      records: this.#view.getUint32(n + 16, true),
    };
  }
}
