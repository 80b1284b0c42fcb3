import { TracelakeError } from '../../pipeline/errors.ts';
import { recordAt } from './page-records.ts';
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
    const { dataAt, length } = recordAt(page, idAt);
    if (previous >= 0 && compareTraceIdAt(page.subarray(previous, previous + TRACE_ID_BYTES), page, idAt) >= 0) {
      throw new TracelakeError(`page record at byte ${idAt} is out of trace ID order`);
    }
    out.push({ traceId: page.subarray(idAt, idAt + TRACE_ID_BYTES), trace: page.subarray(dataAt, dataAt + length) });
    previous = idAt;
    at = dataAt + length;
  }
  return out;
}
