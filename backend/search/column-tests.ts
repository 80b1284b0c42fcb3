import {
  BLOB_FIELD, VALUE_BOOL, VALUE_DOUBLE, VALUE_EMPTY, VALUE_INT, VALUE_NONE, VALUE_STRING,
} from '../block/any-value-tags.ts';
import { ByteSource } from '../block/byte-source.ts';
import { column, type RowGroupColumns } from '../block/row-group-cursor.ts';
import { StringColumnReader } from '../block/string-column.ts';
import { StringRows, utf8 } from './string-rows.ts';
import { TracelakeError } from '../../pipeline/errors.ts';
import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';
import { readAnyValue } from '../traceql/any-value.ts';
import type { AttributeValue } from '../traceql/value.ts';
import { FALSE, NIL, TRUE } from '../traceql/value.ts';

const SCALES = [1, 10, 100, 1000, 10000];
const RAW_DOUBLE = 0xff;
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** `test` over the `count` values of a string column, 1 per passing value; each distinct value tested once. */
export function testStrings(rows: StringRows, count: number, test: (s: string) => boolean): Uint8Array {
  const out = new Uint8Array(count);
  const passes = new Int8Array(rows.distinct).fill(-1);
  for (let i = 0; i < count; i++) {
    const id = rows.id(i);
    let pass = passes[id];
    if (pass < 0) pass = passes[id] = test(rows.text(i)) ? 1 : 0;
    out[i] = pass;
  }
  return out;
}

/**
 * `test` over every occurrence of one attribute column (`columnValues`), 1 per passing occurrence; a value shared by many
 * occurrences (a dictionary string) is tested once.
 */
export function testAttributeColumn(values: readonly AttributeValue[], test: (v: AttributeValue) => boolean): Uint8Array {
  const out = new Uint8Array(values.length);
  let last: AttributeValue | undefined;
  let lastPass = 0;
  const shared = new Map<AttributeValue, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== last) {
      last = v;
      if (v.type === 'string') {
        let pass = shared.get(v);
        if (pass === undefined) shared.set(v, (pass = test(v) ? 1 : 0));
        lastPass = pass;
      } else lastPass = test(v) ? 1 : 0;
    }
    out[i] = lastPass;
  }
  return out;
}

const decoded = new WeakMap<RowGroupColumns, Map<string, AttributeValue[]>>();

/**
 * `attributeValues` of the named column of a row group, decoded once per group: the filter test and the
 * span models of one group read the same values.
 */
export function columnValues(columns: RowGroupColumns, name: string): AttributeValue[] {
  let byName = decoded.get(columns);
  if (byName === undefined) decoded.set(columns, (byName = new Map()));
  let values = byName.get(name);
  if (values === undefined) byName.set(name, (values = attributeValues(column(columns, name))));
  return values;
}

/**
 * Every occurrence of one attribute column (backend/block/attribute-column.ts) as the engine reads the
 * rebuilt KeyValue (any-value.ts); occurrences of one dictionary string share one value object.
 */
export function attributeValues(column: Uint8Array): AttributeValue[] {
  const src = new ByteSource(column);
  const section = (): ByteSource => {
    const start = src.skipBytes();
    return new ByteSource(src.buf, start, src.pos);
  };
  const tags = section();
  const ints = section();
  const doubles = section();
  const bools = section();
  const blobs = section();
  const strings = new StringColumnReader(new ByteSource(column, src.pos));
  const dict = strings.dictionary;
  const shared = new Map<Uint8Array, AttributeValue>();
  if (dict !== undefined) for (const entry of dict) shared.set(entry, { type: 'string', value: utf8(entry) });
  const sharedInts = new Map<number, AttributeValue>();
  const n = tags.end - tags.pos;
  const out = new Array<AttributeValue>(n);
  for (let i = 0; i < n; i++) {
    const tag = tags.byte();
    switch (tag) {
      case VALUE_NONE:
      case VALUE_EMPTY: out[i] = NIL; break;
      case VALUE_STRING: {
        const bytes = strings.next();
        out[i] = dict !== undefined ? shared.get(bytes)! : { type: 'string', value: utf8(bytes) };
        break;
      }
      case VALUE_BOOL: out[i] = bools.byte() !== 0 ? TRUE : FALSE; break;
      case VALUE_INT: {
        ints.z64();
        const value = (ints.hi | 0) * 2 ** 32 + ints.lo;
        // Ints repeat (status codes, counts): one value object per distinct int of the column.
        let v = sharedInts.get(value);
        if (v === undefined) sharedInts.set(value, (v = { type: 'int', value }));
        out[i] = v;
        break;
      }
      case VALUE_DOUBLE: out[i] = { type: 'float', value: readDouble(doubles) }; break;
      default: out[i] = blobValue(tag, blobs.bytes());
    }
  }
  return out;
}

/** Bytes, an array or a key-value list, read from the AnyValue it was taken from. */
function blobValue(tag: number, blob: Uint8Array): AttributeValue {
  const field = BLOB_FIELD[tag];
  if (field === undefined) throw new TracelakeError(`unknown attribute value tag ${tag}`);
  const w = new ProtoWriter(blob.length + 8);
  w.tag(field, 2);
  w.bytes(blob);
  const bytes = new Uint8Array(w.finish());
  return readAnyValue(new ProtoReader(bytes), bytes.length);
}
function readDouble(src: ByteSource): number {
  const s = src.byte();
  if (s === RAW_DOUBLE) {
    f64Bytes.set(src.take(8));
    return f64[0];
  }
  const z = src.u();
  return (z % 2 === 0 ? z / 2 : -(z + 1) / 2) / SCALES[s];
}
