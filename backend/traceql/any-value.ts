import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import type { AttributeValue, Value } from './value.ts';
import { NIL } from './value.ts';

/** Reads an OTLP KeyValue into `into`; the first value for a key wins, as in Tempo. */
export function readKeyValue(r: ProtoReader, end: number, into: Map<string, AttributeValue>): void {
  const outer = r.enter(end);
  let key = '';
  let value: AttributeValue = NIL;
  while (!r.done()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === 2) key = r.string();
    else if (field === 2 && (tag & 7) === 2) value = readAnyValue(r, r.lengthEnd());
    else r.skip(tag & 7);
  }
  r.leave(outer);
  if (!into.has(key)) into.set(key, value);
}

/** An OTLP AnyValue: scalars as Values, arrays of scalars as arrays, key-value lists and bytes as opaque. */
export function readAnyValue(r: ProtoReader, end: number): AttributeValue {
  const outer = r.enter(end);
  let value: AttributeValue = NIL;
  while (!r.done()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: value = { type: 'string', value: r.string() }; break;
      case 2: value = { type: 'bool', value: r.varint() !== 0 }; break;
      case 3: value = { type: 'int', value: Number(BigInt.asIntN(64, r.varintBig())) }; break;
      case 4: value = { type: 'float', value: r.double() }; break;
      case 5: value = readArray(r, r.lengthEnd()); break;
      case 6: r.skip(tag & 7); value = { type: 'opaque', what: 'kvlist' }; break;
      case 7: r.skip(tag & 7); value = { type: 'opaque', what: 'bytes' }; break;
      default: r.skip(tag & 7);
    }
  }
  r.leave(outer);
  return value;
}

function readArray(r: ProtoReader, end: number): AttributeValue {
  const outer = r.enter(end);
  const values: Value[] = [];
  while (!r.done()) {
    const tag = r.tag();
    if (tag >>> 3 !== 1) {
      r.skip(tag & 7);
      continue;
    }
    const v = readAnyValue(r, r.lengthEnd());
    // Nested arrays and lists cannot be compared element-wise; they are left out.
    if (v.type !== 'array' && v.type !== 'opaque') values.push(v);
  }
  r.leave(outer);
  return { type: 'array', values };
}
