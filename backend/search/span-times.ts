import { ByteSource } from '../block/byte-source.ts';
import { COL } from '../block/column-names.ts';
import { column, type RowGroupColumns } from '../block/row-group-cursor.ts';

/** Largest high half of a 64-bit value below 2^53. */
const SAFE_HI = 2 ** 21;

/** Per span row: start − trace base and end − start (ns) as doubles; NaN = the exact value is in `wide`. */
export interface SpanTimes {
  readonly start: Float64Array;
  readonly duration: Float64Array;
  readonly wide: { readonly start: ReadonlyMap<number, bigint>; readonly duration: ReadonlyMap<number, bigint> };
}

const cache = new WeakMap<RowGroupColumns, SpanTimes>();

/** The span.start and span.duration columns of a row group, decoded once (the duration test and the span models share them). */
export function spanTimes(columns: RowGroupColumns, spans: number): SpanTimes {
  let times = cache.get(columns);
  if (times !== undefined) return times;
  const starts = new ByteSource(column(columns, COL.spanStart));
  const durations = new ByteSource(column(columns, COL.spanDuration));
  const start = new Float64Array(spans);
  const duration = new Float64Array(spans);
  const wide = { start: new Map<number, bigint>(), duration: new Map<number, bigint>() };
  for (let s = 0; s < spans; s++) {
    starts.u64();
    durations.z64();
    start[s] = exact(starts, false, wide.start, s);
    duration[s] = exact(durations, true, wide.duration, s);
  }
  cache.set(columns, (times = { start, duration, wide }));
  return times;
}

/** The 64-bit value in `src.lo/hi` as a double, or NaN with the value put in `wide` when a double cannot hold it. */
export function exact(src: ByteSource, signed: boolean, wide: Map<number, bigint>, row: number): number {
  const hi = signed ? src.hi | 0 : src.hi;
  if (hi < SAFE_HI && hi >= -SAFE_HI) return hi * 2 ** 32 + src.lo;
  const value = (BigInt(src.hi) << 32n) + BigInt(src.lo);
  wide.set(row, signed ? BigInt.asIntN(64, value) : value);
  return NaN;
}
