import assert from 'node:assert/strict';
import { PermanentError } from '../../../pipeline/errors.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../../../pipeline/otlp/encode-trace-batch.ts';
import { jsonToProtobuf, otlpJsonToProtobuf, protobufToJson } from '../../../pipeline/otlp/json.ts';
import { bytes, cat, len, varintField } from './wire.ts';

const kv = (key: string, value: object) => ({ key, value });

/** Every field of the trace schema set, already in the canonical form protobufToJson('otlp') writes. */
function fullRequest() {
  return {
    resourceSpans: [{
      resource: {
        attributes: [kv('service.name', { stringValue: 'checkout' })],
        droppedAttributesCount: 1,
        entityRefs: [{ schemaUrl: 'https://s', type: 'service', idKeys: ['service.name'], descriptionKeys: ['a', 'b'] }],
      },
      scopeSpans: [{
        scope: { name: 'http', version: '1.0', attributes: [kv('scope.attr', { boolValue: true })], droppedAttributesCount: 2 },
        spans: [{
          traceId: '5b8efff798038103d269b633813fc700', spanId: 'eee19b7ec3c1b100', traceState: 'vendor=1',
          parentSpanId: '0102030405060708', flags: 769, name: 'GET /cart', kind: 2,
          startTimeUnixNano: '1689969302000000000', endTimeUnixNano: '18446744073709551615',
          attributes: [
            kv('s', { stringValue: 'héllo ✓ 🚀' }), kv('empty.s', { stringValue: '' }),
            kv('t', { boolValue: true }), kv('f', { boolValue: false }),
            kv('i', { intValue: '500' }), kv('zero', { intValue: '0' }),
            kv('max', { intValue: '9223372036854775807' }), kv('min', { intValue: '-9223372036854775808' }),
            kv('d', { doubleValue: 42.5 }), kv('d0', { doubleValue: 0 }), kv('nan', { doubleValue: 'NaN' }),
            kv('inf', { doubleValue: '-Infinity' }),
            kv('arr', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { arrayValue: {} }] } }),
            kv('kvl', { kvlistValue: { values: [kv('inner', { kvlistValue: { values: [kv('x', { doubleValue: 1.5 })] } })] } }),
            kv('b', { bytesValue: 'AAH+/w==' }), kv('empty.value', {}),
          ],
          droppedAttributesCount: 3,
          events: [
            { timeUnixNano: '1689969302000000001', name: 'exception', attributes: [kv('exception.message', { stringValue: 'boom' })], droppedAttributesCount: 4 },
            { name: 'bare' },
          ],
          droppedEventsCount: 5,
          links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceState: 'a=b',
            attributes: [kv('link.kind', { stringValue: 'follows' })], droppedAttributesCount: 6, flags: 256 }],
          droppedLinksCount: 7,
          status: { message: 'card declined', code: 2 },
        }, {
          traceId: '5b8efff798038103d269b633813fc700', spanId: 'eee19b7ec3c1b101', name: 'child', status: {},
        }],
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      }],
      schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
    }],
  };
}

function expectPermanent(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PermanentError, String(err));
    assert.equal(err.message, message);
    return true;
  });
}

const spanWith = (fields: object) => ({ resourceSpans: [{ scopeSpans: [{ spans: [
  { traceId: '5b8efff798038103d269b633813fc700', spanId: 'eee19b7ec3c1b100' },
  { traceId: '5b8efff798038103d269b633813fc700', spanId: 'eee19b7ec3c1b100', ...fields },
] }] }] });

describe('otlpJsonToProtobuf / protobufToJson', () => {
  it('round-trips every field and AnyValue type through protobuf', () => {
    const pb = otlpJsonToProtobuf(fullRequest());
    assert.deepEqual(protobufToJson(pb, 'ExportTraceServiceRequest', 'otlp'), fullRequest());
  });

  it('writes canonical protobuf that the trace decoder re-encodes byte for byte', () => {
    const pb = otlpJsonToProtobuf(fullRequest());
    const decoded = decodeTraceRequest(pb);
    assert.equal(decoded.batch.spanCount, 2);
    assert.deepEqual(Buffer.from(encodeTraceBatch(decoded.batch.resourceSpans)), Buffer.from(pb));
  });

  it('accepts snake_case keys, enum names, numbers for 64-bit ints, upper-case hex and URL-safe base64', () => {
    const variant = { resource_spans: [{ scope_spans: [{ spans: [{
      trace_id: '5B8EFFF798038103D269B633813FC700', span_id: 'EEE19B7EC3C1B100', kind: 'SPAN_KIND_CLIENT',
      start_time_unix_nano: 1689969302000000000, dropped_attributes_count: '3',
      attributes: [kv('b', { bytes_value: 'AAH-_w' }), kv('i', { int_value: 7 })],
      status: { code: 'STATUS_CODE_ERROR' }, unknownKey: { ignored: true }, name: null,
    }] }] }] };
    const canonical = { resourceSpans: [{ scopeSpans: [{ spans: [{
      traceId: '5b8efff798038103d269b633813fc700', spanId: 'eee19b7ec3c1b100', kind: 3,
      startTimeUnixNano: '1689969302000000000', droppedAttributesCount: 3,
      attributes: [kv('b', { bytesValue: 'AAH+/w==' }), kv('i', { intValue: '7' })], status: { code: 2 },
    }] }] }] };
    assert.deepEqual(Buffer.from(otlpJsonToProtobuf(variant)), Buffer.from(otlpJsonToProtobuf(canonical)));
  });

  it('writes gogo jsonpb for Tempo: IDs base64, enums as names, 64-bit ints as strings, empty status kept', () => {
    const pb = otlpJsonToProtobuf({ resourceSpans: [{
      resource: { attributes: [kv('service.name', { stringValue: 'my.service' })] },
      scopeSpans: [{ scope: { name: 'my.library', version: '1.0.0' }, spans: [{
        traceId: '5b8efff798038103d269b633813fc700', spanId: 'eee19b7ec3c1b100', name: 'I am a span!', kind: 2,
        startTimeUnixNano: '1689969302000000000', endTimeUnixNano: '1689970000000000000',
        attributes: [kv('my.span.attr', { stringValue: 'some value' })], status: {}, droppedEventsCount: 0,
      }] }],
    }] });
    // Tempo's own example response (docs/sources/tempo/api_docs), minus the non-trace fields.
    assert.deepEqual(protobufToJson(pb, 'TracesData', 'tempo'), { resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
      scopeSpans: [{ scope: { name: 'my.library', version: '1.0.0' }, spans: [{
        traceId: 'W47/95gDgQPSabYzgT/HAA==', spanId: '7uGbfsPBsQA=', name: 'I am a span!', kind: 'SPAN_KIND_SERVER',
        startTimeUnixNano: '1689969302000000000', endTimeUnixNano: '1689970000000000000',
        attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }], status: {},
      }] }],
    }] });
  });

  it('writes error status, typed attributes and links the way Tempo does', () => {
    const pb = otlpJsonToProtobuf(spanWith({
      status: { code: 2, message: 'card declined' },
      attributes: [kv('i', { intValue: 500 }), kv('b', { boolValue: true }), kv('d', { doubleValue: 42.5 })],
      links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }],
    }));
    const span = (protobufToJson(pb, 'TracesData', 'tempo') as any).resourceSpans[0].scopeSpans[0].spans[1];
    assert.deepEqual(span.status, { code: 'STATUS_CODE_ERROR', message: 'card declined' });
    assert.deepEqual(span.attributes.map((a: any) => a.value), [{ intValue: '500' }, { boolValue: true }, { doubleValue: 42.5 }]);
    assert.deepEqual(span.links, [{ traceId: 'CvdlGRbNQ92ESOshHIAxnA==', spanId: 't61rcWkgMzE=' }]);
    assert.equal('status' in (protobufToJson(pb, 'TracesData', 'tempo') as any).resourceSpans[0].scopeSpans[0].spans[0], false);
  });

  it('names the JSON path of a value of the wrong type', () => {
    const cases: [object, string][] = [
      [spanWith({ traceId: 'xyz' }), 'resourceSpans[0].scopeSpans[0].spans[1].traceId: expected a hex string, got "xyz"'],
      [spanWith({ kind: 'SERVER' }), 'resourceSpans[0].scopeSpans[0].spans[1].kind: unknown enum value "SERVER" ' +
        '(expected one of SPAN_KIND_UNSPECIFIED, SPAN_KIND_INTERNAL, SPAN_KIND_SERVER, SPAN_KIND_CLIENT, ' +
        'SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER or a number)'],
      [spanWith({ attributes: [kv('a', { stringValue: 'x' }), kv('b', { intValue: 1.5 })] }),
        'resourceSpans[0].scopeSpans[0].spans[1].attributes[1].value.intValue: expected an integer, got number 1.5'],
      [spanWith({ start_time_unix_nano: '17e8' }),
        'resourceSpans[0].scopeSpans[0].spans[1].start_time_unix_nano: expected an integer (number or decimal string), got "17e8"'],
      [spanWith({ endTimeUnixNano: '-1' }), 'resourceSpans[0].scopeSpans[0].spans[1].endTimeUnixNano: -1 is out of 64-bit range'],
      [spanWith({ endTimeUnixNano: 18446744073709551615 }), 'resourceSpans[0].scopeSpans[0].spans[1].endTimeUnixNano: ' +
        '18446744073709552000 is out of 64-bit range (send large values as decimal strings)'],
      [spanWith({ droppedLinksCount: -1 }), 'resourceSpans[0].scopeSpans[0].spans[1].droppedLinksCount: -1 is out of range [0, 4294967295]'],
      [spanWith({ events: {} }), 'resourceSpans[0].scopeSpans[0].spans[1].events: expected an array, got an object'],
      [spanWith({ name: 7 }), 'resourceSpans[0].scopeSpans[0].spans[1].name: expected a string, got number 7'],
      [spanWith({ attributes: [kv('b', { bytesValue: 'not base64!' })] }),
        'resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.bytesValue: expected a base64 string, got "not base64!"'],
      [spanWith({ status: 'ok' }), 'resourceSpans[0].scopeSpans[0].spans[1].status: expected an object, got "ok"'],
      [{ resourceSpans: {} }, 'resourceSpans: expected an array, got an object'],
    ];
    for (const [json, message] of cases) expectPermanent(() => otlpJsonToProtobuf(json), message);
    expectPermanent(() => otlpJsonToProtobuf([]), 'expected an object, got an array');
  });

  it('encodes and decodes the export response and google.rpc.Status', () => {
    const response = { partialSuccess: { rejectedSpans: '3', errorMessage: '3 spans with an invalid trace ID' } };
    const pb = jsonToProtobuf(response, 'ExportTraceServiceResponse');
    assert.deepEqual(protobufToJson(pb, 'ExportTraceServiceResponse', 'otlp'), response);
    assert.deepEqual(protobufToJson(new Uint8Array(0), 'ExportTraceServiceResponse', 'otlp'), {});
    const status = { code: 3, message: 'bad payload', details: [{ '@type': 'type.googleapis.com/x.Y', value: 'AQI=' }] };
    assert.deepEqual(protobufToJson(jsonToProtobuf(status, 'Status'), 'Status', 'otlp'), status);
    assert.deepEqual(protobufToJson(jsonToProtobuf({ code: -1 }, 'Status'), 'Status', 'otlp'), { code: -1 });
  });

  it('throws only PermanentError when decoding truncated or corrupted protobuf', () => {
    const pb = otlpJsonToProtobuf(fullRequest());
    for (let i = 0; i < pb.length; i++) {
      for (const [style, input] of [['otlp', pb.subarray(0, i)], ['tempo', Uint8Array.from(pb).fill(0x80 + (i % 3) * 0x7f, i, i + 1)]] as const) {
        try {
          protobufToJson(input, 'TracesData', style);
        } catch (err) {
          assert.ok(err instanceof PermanentError, `byte ${i}: ${String(err)}`);
        }
      }
    }
  });

  it('throws PermanentError with the path when decoding malformed protobuf', () => {
    const bad = len(1, len(2, len(2, len(9, len(2, bytes(0x19, 1))))));
    expectPermanent(() => protobufToJson(bad, 'TracesData', 'otlp'),
      'resource_spans[0].scope_spans[0].spans[0].attributes[0].value: field 3 (int_value) has wire type fixed64, expected varint');
    expectPermanent(() => protobufToJson(cat(varintField(1, 3), bytes(0x12, 5, 0x41)), 'Status', 'tempo'),
      'truncated length-delimited field 2 (length 5, 1 bytes left)');
  });
});
