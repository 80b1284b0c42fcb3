import { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../pipeline/otlp/proto-reader.ts';
import {
  VALUE_ARRAY, VALUE_BOOL, VALUE_BYTES, VALUE_DOUBLE, VALUE_EMPTY, VALUE_INT, VALUE_KVLIST, VALUE_NONE, VALUE_STRING,
} from './any-value-tags.ts';
import type { AttributeTable } from './attribute-table.ts';
import type { ParsedSpan } from './parsed-span.ts';

/** Thrown inside the parser when a span holds something the columns cannot give back exactly. */
class NotModelled extends Error {}

const NOT_MODELLED = new NotModelled('span kept as bytes');
const TWO_32 = 4294967296;

function need(cond: boolean): void {
  if (!cond) throw NOT_MODELLED;
}

/**
 * Fills `span` from the Span message at `buf[span.start, span.end)`, or throws (NotModelled, or a
 * PayloadError for malformed bytes) so that the caller keeps the span as its bytes. Modelled: every field of
 * opentelemetry.proto.trace.v1.Span, each singular field at most once, trace_id equal to the trace's, an
 * 8-byte span_id; unknown field numbers are kept as bytes in `span.rest`.
 */
export function parseSpan(r: ProtoReader, traceId: Uint8Array, span: ParsedSpan, attrs: AttributeTable): void {
  const buf = r.buf;
  r.pos = span.start;
  r.limit = span.end;
  let seen = 0;
  let hasTraceId = false;
  let hasSpanId = false;
  span.attrFirst = attrs.count;
  while (!r.done()) {
    const fieldAt = r.pos;
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field > 16) {
      r.skip(wire);
      span.rest.push(buf.subarray(fieldAt, r.pos));
      continue;
    }
    if (field !== 9 && field !== 11 && field !== 13) {
      need((seen & (1 << field)) === 0);
      seen |= 1 << field;
    }
    switch (field) {
      case 1: {
        need(wire === WIRE_LEN);
        const end = r.lengthEnd();
        need(end - r.pos === 16 && sameBytes(buf, r.pos, traceId));
        r.pos = end;
        hasTraceId = true;
        break;
      }
      case 2: need(wire === WIRE_LEN); need(r.lengthEnd() - r.pos === 8); span.idAt = r.pos; r.pos += 8; hasSpanId = true; break;
      case 3: need(wire === WIRE_LEN); span.stateLen = r.lengthEnd() - r.pos; span.stateAt = r.pos; r.pos += span.stateLen; break;
      case 4: need(wire === WIRE_LEN); span.parentLen = r.lengthEnd() - r.pos; span.parentAt = r.pos; r.pos += span.parentLen; break;
      case 5: need(wire === WIRE_LEN); span.nameLen = r.lengthEnd() - r.pos; span.nameAt = r.pos; r.pos += span.nameLen; break;
      case 6: need(wire === WIRE_VARINT); span.kind = r.varint(); need(span.kind < 2 ** 31); break;
      case 7: need(wire === WIRE_FIXED64); span.startLo = u32(buf, r.pos); span.startHi = u32(buf, r.pos + 4); r.pos += 8; break;
      case 8: need(wire === WIRE_FIXED64); span.endLo = u32(buf, r.pos); span.endHi = u32(buf, r.pos + 4); r.pos += 8; break;
      case 9: need(wire === WIRE_LEN); parseKeyValue(r, attrs); span.attrCount++; break;
      case 10: need(wire === WIRE_VARINT); span.droppedAttributes = uint32(r); break;
      case 11: need(wire === WIRE_LEN); parseEvent(r, span); break;
      case 12: need(wire === WIRE_VARINT); span.droppedEvents = uint32(r); break;
      case 13: need(wire === WIRE_LEN); span.links.push(r.bytes()); break;
      case 14: need(wire === WIRE_VARINT); span.droppedLinks = uint32(r); break;
      case 15: need(wire === WIRE_LEN); parseStatus(r, span); break;
      case 16: need(wire === WIRE_FIXED32); span.flags = r.fixed32(); break;
      default: throw NOT_MODELLED; // field 0 never gets here (ProtoReader refuses it)
    }
  }
  need(hasTraceId && hasSpanId);
}

/**
 * The common encoding of a KeyValue, read with plain byte loads: one-byte lengths, key then value, one
 * scalar or string member. Anything else (or anything suspicious) goes to the general parser below.
 */
function parseKeyValueFast(r: ProtoReader, attrs: AttributeTable): boolean {
  const buf = r.buf;
  const at = r.pos;
  const len = buf[at];
  const end = at + 1 + len;
  if (len >= 0x80 || end > r.limit || len < 4 || buf[at + 1] !== 0x0a) return false;
  const keyLen = buf[at + 2];
  const keyAt = at + 3;
  const valueTagAt = keyAt + keyLen;
  if (keyLen >= 0x80 || valueTagAt + 2 > end || buf[valueTagAt] !== 0x12) return false;
  const anyLen = buf[valueTagAt + 1];
  const anyAt = valueTagAt + 2;
  if (anyLen >= 0x80 || anyAt + anyLen !== end || anyLen < 2) return false;
  const memberTag = buf[anyAt];
  const payloadAt = anyAt + 1;
  switch (memberTag) {
    case 0x0a: { // string_value
      const n = buf[payloadAt];
      if (n >= 0x80 || payloadAt + 1 + n !== end) return false;
      attrs.push(keyAt, keyLen, VALUE_STRING, payloadAt + 1, n);
      break;
    }
    case 0x10: // bool_value, one byte
      if (payloadAt + 1 !== end || buf[payloadAt] > 1) return false;
      attrs.push(keyAt, keyLen, VALUE_BOOL, buf[payloadAt], 0);
      break;
    case 0x18: { // int_value: a varint ending exactly at the end
      let p = payloadAt;
      while (p < end && buf[p] >= 0x80) p++;
      if (p + 1 !== end || p - payloadAt > 9) return false;
      attrs.push(keyAt, keyLen, VALUE_INT, payloadAt, 0);
      break;
    }
    case 0x21: // double_value
      if (payloadAt + 8 !== end) return false;
      attrs.push(keyAt, keyLen, VALUE_DOUBLE, payloadAt, 0);
      break;
    default:
      return false;
  }
  r.pos = end;
  return true;
}

function parseKeyValue(r: ProtoReader, attrs: AttributeTable): void {
  if (parseKeyValueFast(r, attrs)) return;
  const end = r.lengthEnd();
  const outer = r.enter(end);
  let keyAt = r.pos;
  let keyLen = 0;
  let seen = 0;
  let tag = VALUE_NONE;
  let valueAt = 0;
  let valueLen = 0;
  while (!r.done()) {
    const t = r.tag();
    const field = t >>> 3;
    need((field === 1 || field === 2) && (t & 7) === WIRE_LEN && (seen & field) === 0);
    seen |= field;
    const valueEnd = r.lengthEnd();
    if (field === 1) {
      keyAt = r.pos;
      keyLen = valueEnd - r.pos;
      r.pos = valueEnd;
      continue;
    }
    const inner = r.enter(valueEnd);
    tag = VALUE_EMPTY;
    if (!r.done()) {
      const vt = r.tag();
      const wire = vt & 7;
      switch (vt >>> 3) {
        case 1: need(wire === WIRE_LEN); tag = VALUE_STRING; break;
        case 2: need(wire === WIRE_VARINT); tag = VALUE_BOOL; break;
        case 3: need(wire === WIRE_VARINT); tag = VALUE_INT; break;
        case 4: need(wire === WIRE_FIXED64); tag = VALUE_DOUBLE; break;
        case 5: need(wire === WIRE_LEN); tag = VALUE_ARRAY; break;
        case 6: need(wire === WIRE_LEN); tag = VALUE_KVLIST; break;
        case 7: need(wire === WIRE_LEN); tag = VALUE_BYTES; break;
        default: throw NOT_MODELLED;
      }
      if (wire === WIRE_LEN) {
        const e = r.lengthEnd();
        valueAt = r.pos;
        valueLen = e - r.pos;
        r.pos = e;
      } else if (tag === VALUE_BOOL) {
        valueAt = r.varint() !== 0 ? 1 : 0;
      } else {
        valueAt = r.pos;
        r.skip(wire);
      }
      need(r.done()); // a second member: the last one would win; not worth modelling
    }
    r.leave(inner);
    r.pos = valueEnd;
  }
  r.leave(outer);
  attrs.push(keyAt, keyLen, tag, valueAt, valueLen);
}

function parseEvent(r: ProtoReader, span: ParsedSpan): void {
  const end = r.lengthEnd();
  const bodyStart = r.pos;
  const outer = r.enter(end);
  let lo = 0;
  let hi = 0;
  let timeAt = -1;
  let timeEnd = -1;
  while (!r.done()) {
    const at = r.pos;
    const t = r.tag();
    if (t >>> 3 === 1) {
      need((t & 7) === WIRE_FIXED64 && timeAt < 0);
      timeAt = at;
      lo = u32(r.buf, r.pos);
      hi = u32(r.buf, r.pos + 4);
    }
    r.skip(t & 7);
    if (timeAt === at) timeEnd = r.pos;
  }
  r.leave(outer);
  r.pos = end;
  span.eventTimes.push(lo, hi);
  if (timeAt < 0) span.eventRests.push(r.buf.subarray(bodyStart, end));
  else if (timeAt === bodyStart) span.eventRests.push(r.buf.subarray(timeEnd, end));
  else {
    const rest = new Uint8Array(end - bodyStart - (timeEnd - timeAt));
    rest.set(r.buf.subarray(bodyStart, timeAt));
    rest.set(r.buf.subarray(timeEnd, end), timeAt - bodyStart);
    span.eventRests.push(rest);
  }
}

function parseStatus(r: ProtoReader, span: ParsedSpan): void {
  const end = r.lengthEnd();
  const outer = r.enter(end);
  let code = 0;
  let seen = 0;
  while (!r.done()) {
    const t = r.tag();
    const field = t >>> 3;
    need((seen & (1 << field)) === 0 && ((field === 2 && (t & 7) === WIRE_LEN) || (field === 3 && (t & 7) === WIRE_VARINT)));
    seen |= 1 << field;
    if (field === 2) {
      const e = r.lengthEnd();
      span.messageAt = r.pos;
      span.messageLen = e - r.pos;
      r.pos = e;
    } else {
      code = r.varint();
      need(code < 2 ** 31);
    }
  }
  r.leave(outer);
  span.status = 1 + code;
}

function uint32(r: ProtoReader): number {
  const v = r.varint();
  need(v < TWO_32);
  return v;
}

function u32(buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 0x1000000;
}

function sameBytes(buf: Uint8Array, at: number, id: Uint8Array): boolean {
  for (let i = 0; i < id.length; i++) if (buf[at + i] !== id[i]) return false;
  return true;
}
