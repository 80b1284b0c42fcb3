/** Hand-made traces that exercise every field and value type of OTLP spans, for the tl2 lossless tests. */
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';
import { encodeTracesData } from './otlp-semantics.ts';

export const EDGE_TRACE_ID = '5b8efff798038103d269b633813fc60c';
const other = 'aabbccddeeff00112233445566778899';
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const id = (n: number) => b64(n.toString(16).padStart(16, '0'));

const everyValue = [
  { key: 'str', value: { stringValue: 'héllo ✓' } },
  { key: 'empty.str', value: { stringValue: '' } },
  { key: 'bool.true', value: { boolValue: true } },
  { key: 'bool.false', value: { boolValue: false } },
  { key: 'int.max', value: { intValue: '9223372036854775807' } },
  { key: 'int.min', value: { intValue: '-9223372036854775808' } },
  { key: 'int.zero', value: { intValue: '0' } },
  { key: 'int.neg', value: { intValue: '-42' } },
  { key: 'dbl.pi', value: { doubleValue: 3.141592653589793 } },
  { key: 'dbl.price', value: { doubleValue: 19.99 } },
  { key: 'dbl.sum', value: { doubleValue: 0.1 + 0.2 } },
  { key: 'dbl.nan', value: { doubleValue: NaN } },
  { key: 'dbl.negzero', value: { doubleValue: -0 } },
  { key: 'dbl.inf', value: { doubleValue: Infinity } },
  { key: 'dbl.neginf', value: { doubleValue: -Infinity } },
  { key: 'dbl.tiny', value: { doubleValue: 5e-324 } },
  { key: 'dbl.big', value: { doubleValue: 1.7976931348623157e308 } },
  { key: 'dbl.int', value: { doubleValue: 2 ** 60 } },
  { key: 'bytes', value: { bytesValue: b64('00ff10') } },
  { key: 'bytes.empty', value: { bytesValue: '' } },
  { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { arrayValue: { values: [{ boolValue: true }] } }, {}] } } },
  { key: 'array.empty', value: { arrayValue: {} } },
  { key: 'kvlist', value: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }, { key: 'nested', value: { kvlistValue: { values: [] } } }] } } },
  { key: 'empty.any', value: {} },
  { key: 'no.value' },
  { key: '', value: { stringValue: 'empty key' } },
  { key: 'str', value: { intValue: '7' } }, // the same key again, another type
];

/** A TracesData holding every field of Span, Resource and Scope, in odd arrangements; encoded by protobufjs. */
export function edgeTrace(): Uint8Array {
  const traceId = b64(EDGE_TRACE_ID);
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'edge' } }], droppedAttributesCount: 3 };
  const full = {
    traceId, spanId: id(1), traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE', flags: 0x301, name: 'GET /everything',
    kind: 5, startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000987654321',
    attributes: everyValue, droppedAttributesCount: 7,
    events: [
      { timeUnixNano: '1700000000200000000', name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }], droppedAttributesCount: 2 },
      { name: 'no time' },
      { timeUnixNano: '1600000000000000000', name: 'before the span' },
    ],
    droppedEventsCount: 4,
    links: [
      { traceId: b64(other), spanId: id(99), traceState: 'x=1', attributes: [{ key: 'link.attr', value: { boolValue: true } }], droppedAttributesCount: 1, flags: 0x100 },
      { traceId, spanId: id(2) },
    ],
    droppedLinksCount: 9,
    status: { code: 2, message: 'boom' },
    extraText: ['unknown field', 'twice'], extraNumber: '18446744073709551615',
  };
  return encodeTracesData({
    resourceSpans: [
      {
        resource, schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
        scopeSpans: [
          {
            scope: { name: 'io.test', version: '1.0', attributes: [{ key: 'scope.attr', value: { intValue: '-1' } }], droppedAttributesCount: 1 },
            schemaUrl: 'scope-schema',
            spans: [
              full,
              { traceId, spanId: id(2), parentSpanId: id(1), status: {}, startTimeUnixNano: '1700000000500000000', endTimeUnixNano: '1700000000400000000' },
              { traceId, spanId: id(3), parentSpanId: id(12345), kind: 3 },
              { traceId, spanId: id(4), parentSpanId: id(5), name: 'child before parent', startTimeUnixNano: '1', endTimeUnixNano: '18446744073709551615' },
              { traceId, spanId: id(5), parentSpanId: b64('0102'), name: 'short parent ID', status: { message: 'no code' } },
            ],
          },
          { spans: [{ traceId, spanId: id(1), kind: 2, name: 'same ID, other kind' }] },
        ],
      },
      { resource, scopeSpans: [{ scope: { name: 'io.test' }, spans: [{ traceId, spanId: id(6), parentSpanId: id(1) }] }] },
      { scopeSpans: [{ spans: [{ traceId, spanId: id(7), name: 'no resource, no scope' }] }] },
      { resource: {} },
      { resource, scopeSpans: [{ scope: {} }, { spans: [{ traceId: b64(other), spanId: id(8), name: 'from another trace' }] }] },
      { scopeSpans: [{ spans: [{ spanId: id(9), name: 'no trace ID' }, { traceId, spanId: b64('0102030405'), name: 'short span ID' }] }] },
    ],
  });
}

/** A trace whose one span holds a KeyValue with an unknown field: kept as its bytes. */
export function traceWithOddAttribute(traceIdHex: string): { trace: Uint8Array; span: Uint8Array } {
  const span = new ProtoWriter();
  span.tag(1, 2);
  span.bytes(Buffer.from(traceIdHex, 'hex'));
  span.tag(2, 2);
  span.bytes(Buffer.from('0102030405060708', 'hex'));
  const kv = span.beginMessage(9);
  span.tag(1, 2);
  span.string('odd');
  span.tag(3, 0); // not a KeyValue field
  span.varint(1);
  span.endMessage(kv);
  const spanBytes = new Uint8Array(span.finish());
  const w = new ProtoWriter();
  const rs = w.beginMessage(1);
  const ss = w.beginMessage(2);
  w.tag(2, 2);
  w.bytes(spanBytes);
  w.endMessage(ss);
  w.endMessage(rs);
  return { trace: new Uint8Array(w.finish()), span: spanBytes };
}

/** A trace of `count` spans, each the child of another span of the trace (earlier or later), one ScopeSpans. */
export function bigTrace(traceIdHex: string, count: number): Uint8Array {
  const traceId = b64(traceIdHex);
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId, spanId: id(1000 + i), name: `op ${i % 7}`, kind: 1 + (i % 5),
    ...(i === 0 ? {} : { parentSpanId: id(1000 + ((i * 7919) % count)) }),
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1_000_003n),
    endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 2_000_011n),
    attributes: [{ key: 'i', value: { intValue: String(i) } }],
  }));
  return encodeTracesData({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: { name: 's' }, spans }] }] });
}
