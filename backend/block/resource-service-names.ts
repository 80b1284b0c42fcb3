import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';

const WIRE_LEN = 2;
/** AnyValue's array_value: an array matches when an element does, so its strings would count too. */
const ARRAY_VALUE = 5;

/**
 * Every string value of a `service.name` resource attribute in a `dict.resource` entry (a ResourceSpans'
 * fields but its scope spans), read as the engine reads them (ProtoReader strings; it keeps the first key
 * and the last value member of each, so these are a superset); undefined when the entry holds a
 * `service.name` value the engine would read differently (a string member that is not length-delimited),
 * an array (its elements match too), or does not parse.
 */
export function resourceServiceNames(entry: Uint8Array): string[] | undefined {
  const out: string[] = [];
  try {
    const r = new ProtoReader(entry);
    const ok = eachLen(r, entry.length, (field, end) => field !== 1 || eachLen(r, end, (f, e) => f !== 1 || keyValue(r, e, out)));
    return ok ? out : undefined;
  } catch {
    return undefined;
  }
}

/** A KeyValue: its string values when the key is service.name; false when one is not length-delimited. */
function keyValue(r: ProtoReader, end: number, out: string[]): boolean {
  let key = '';
  const values: number[] = [];
  const outer = r.enter(end);
  while (!r.done()) {
    const tag = r.tag();
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_LEN) key = r.string();
    else if (tag >>> 3 === 2 && (tag & 7) === WIRE_LEN) {
      values.push(r.pos);
      r.skip(WIRE_LEN);
    } else r.skip(tag & 7);
  }
  r.leave(outer);
  if (key !== 'service.name') return true;
  for (const at of values) {
    r.pos = at;
    if (!eachField(r, r.lengthEnd(), (tag) => {
      if (tag >>> 3 === ARRAY_VALUE) return false;
      if (tag >>> 3 !== 1) return true;
      if ((tag & 7) !== WIRE_LEN) return false;
      out.push(r.string());
      return true;
    })) return false;
  }
  return true;
}

/** Visits each length-delimited field of [pos, end), skipping the others; false once `visit` says so. */
function eachLen(r: ProtoReader, end: number, visit: (field: number, end: number) => boolean): boolean {
  return eachField(r, end, (tag) => {
    if ((tag & 7) !== WIRE_LEN) {
      r.skip(tag & 7);
      return true;
    }
    const fieldEnd = r.lengthEnd();
    const ok = visit(tag >>> 3, fieldEnd);
    r.pos = fieldEnd;
    return ok;
  });
}

/** Calls `visit(tag)` for each field of [pos, end) (it reads or skips the field); false once `visit` says so. */
function eachField(r: ProtoReader, end: number, visit: (tag: number) => boolean): boolean {
  const outer = r.enter(end);
  let ok = true;
  while (ok && !r.done()) {
    const tag = r.tag();
    const at = r.pos;
    ok = visit(tag);
    if (ok && r.pos === at) r.skip(tag & 7);
  }
  r.leave(outer);
  return ok;
}
