import { ByteSource } from '../block/byte-source.ts';
import { COL } from '../block/column-names.ts';
import { column, type RowGroupColumns } from '../block/row-group-cursor.ts';
import { StringRows } from './string-rows.ts';

const cache = new WeakMap<RowGroupColumns, Map<number, Int32Array>>();

/**
 * Per span row of a row group, the index in key `keyId`'s attribute column of the span's first value of
 * that key (the one the engine's first-key-wins map keeps), or -1 when the span lacks the key. Computed once
 * per group and key: the filter test and the span models ask for the same keys.
 */
export function firstOccurrences(columns: RowGroupColumns, spans: number, keyId: number): Int32Array {
  let byKey = cache.get(columns);
  if (byKey === undefined) cache.set(columns, (byKey = new Map()));
  let out = byKey.get(keyId);
  if (out !== undefined) return out;
  out = new Int32Array(spans);
  const shapes = new StringRows(column(columns, COL.spanAttrKeys), spans);
  const counts = new Int32Array(shapes.distinct).fill(-1);
  let o = 0;
  for (let s = 0; s < spans; s++) {
    const shape = shapes.id(s);
    let n = counts[shape];
    if (n < 0) n = counts[shape] = keyCount(shapes.bytes(s), keyId);
    out[s] = n === 0 ? -1 : o;
    o += n;
  }
  byKey.set(keyId, out);
  return out;
}

/** How many times key `id` is in a shape (varint key ids). */
function keyCount(shape: Uint8Array, id: number): number {
  const src = new ByteSource(shape);
  let n = 0;
  while (!src.done()) if (src.u() === id) n++;
  return n;
}
