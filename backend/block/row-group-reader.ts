import { TracelakeError } from '../../pipeline/errors.ts';
import { COL } from './column-names.ts';
import { column, RowGroupCursor, type RowGroupColumns } from './row-group-cursor.ts';
import { compareTraceIdAt, TRACE_ID_BYTES } from './trace-id.ts';

export type { RowGroupColumns } from './row-group-cursor.ts';

/** Trace IDs of a row group (sorted), and cursors that rebuild its traces as TracesData bytes. */
export class RowGroupReader {
  readonly columns: RowGroupColumns;
  readonly traceCount: number;
  readonly #ids: Uint8Array;

  constructor(columns: RowGroupColumns) {
    this.columns = columns;
    this.#ids = column(columns, COL.traceId);
    if (this.#ids.length % TRACE_ID_BYTES !== 0) throw new TracelakeError('trace.id column is not whole IDs');
    this.traceCount = this.#ids.length / TRACE_ID_BYTES;
  }

  traceId(i: number): Uint8Array {
    return this.#ids.subarray(i * TRACE_ID_BYTES, (i + 1) * TRACE_ID_BYTES);
  }

  /** Index of `traceId` in the row group, or -1. */
  find(traceId: Uint8Array): number {
    let lo = 0;
    let hi = this.traceCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = compareTraceIdAt(traceId, this.#ids, mid * TRACE_ID_BYTES);
      if (cmp === 0) return mid;
      if (cmp < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  }

  cursor(): RowGroupCursor {
    return new RowGroupCursor(this.columns, this.#ids);
  }
}
