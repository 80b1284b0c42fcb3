import { TracelakeError } from '../../pipeline/errors.ts';
import { compareTraceIdAt, TRACE_ID_BYTES } from './trace-id.ts';

/** One record of a page: views into the uncompressed page. */
export interface PageRecord {
  readonly traceId: Uint8Array;
  readonly trace: Uint8Array;
}

/**
 * Every record of an uncompressed page (`trace ID (16) | varint length | encoded Trace`), in order. Throws
 * TracelakeError when a record is malformed or IDs are not strictly increasing.
 */
export function pageRecords(page: Uint8Array): PageRecord[] {
  const out: PageRecord[] = [];
  let at = 0;
  let previous = -1;
  while (at < page.length) {
    const idAt = at;
    if (idAt + TRACE_ID_BYTES > page.length) throw new TracelakeError(`page record at byte ${idAt} is cut short`);
    if (previous >= 0 && compareTraceIdAt(page.subarray(previous, previous + TRACE_ID_BYTES), page, idAt) >= 0) {
      throw new TracelakeError(`page record at byte ${idAt} is out of trace ID order`);
    }
    at += TRACE_ID_BYTES;
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= page.length || shift > 28) throw new TracelakeError(`malformed page record at byte ${idAt}`);
      const b = page[at++];
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (at + len > page.length) throw new TracelakeError(`page record at byte ${idAt} runs past the page`);
    out.push({ traceId: page.subarray(idAt, idAt + TRACE_ID_BYTES), trace: page.subarray(at, at + len) });
    previous = idAt;
    at += len;
  }
  return out;
}
