import assert from 'node:assert/strict';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { PermanentError } from '../../../pipeline/errors.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { bytesToHex } from '../../../pipeline/otlp/hex.ts';
import { exoticSpan, sdkSpans } from './sdk-spans.ts';
import { SPAN_ID, TRACE_ID, bytes, cat, fixed64Field, len, spanCore, stringField, varintField } from './wire.ts';

async function sdkRequest(): Promise<Uint8Array> {
  const spans = await sdkSpans();
  return ProtobufTraceSerializer.serializeRequest([...spans, exoticSpan(spans[0])])!;
}

const resource = len(1, len(1, stringField(1, 'service.name'), len(2, stringField(1, 'svc'))));
const scope = len(1, stringField(1, 'lib'));
/** A TracesData with one resource and one scope holding the given Span payloads. */
const request = (...spans: Uint8Array[]) => len(1, resource, len(2, scope, ...spans.map((s) => len(2, s))));

function expectPermanent(buf: Uint8Array, message: string | RegExp): void {
  assert.throws(() => decodeTraceRequest(buf), (err: unknown) => {
    assert.ok(err instanceof PermanentError, `not a PermanentError: ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('decodeTraceRequest', () => {
  it('reads IDs and times of every span of an SDK request', async () => {
    const spans = await sdkSpans();
    const { batch, rejectedSpans } = decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(spans)!);
    assert.equal(rejectedSpans, 0);
    assert.equal(batch.spanCount, spans.length);
    const got = batch.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
      .map((s) => `${bytesToHex(s.traceId)}/${bytesToHex(s.spanId)}/${s.startUnixNano}/${s.endUnixNano}`).sort();
    const want = spans.map((s) => `${s.spanContext().traceId}/${s.spanContext().spanId}/` +
      `${s.startTime[0] * 1e9 + s.startTime[1]}/${s.endTime[0] * 1e9 + s.endTime[1]}`).sort();
    assert.deepEqual(got, want);
  });

  it('returns span bytes and IDs as views into the input, without copying', async () => {
    const input = await sdkRequest();
    const span = decodeTraceRequest(input).batch.resourceSpans[0].scopeSpans[0].spans[0];
    for (const view of [span.bytes, span.traceId, span.spanId]) assert.equal(view.buffer, input.buffer);
    assert.equal(span.traceId.byteOffset, span.bytes.byteOffset + 2);
  });

  it('decodes a view that starts inside a larger buffer', async () => {
    const input = await sdkRequest();
    const padded = new Uint8Array(input.length + 7);
    padded.set(input, 3);
    const spanBytes = (buf: Uint8Array) => decodeTraceRequest(buf).batch.resourceSpans
      .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => Buffer.from(sp.bytes).toString('hex'))));
    assert.deepEqual(spanBytes(padded.subarray(3, 3 + input.length)), spanBytes(input));
  });

  it('keeps a resource\'s other fields as a view when contiguous and concatenated otherwise', () => {
    const schemaUrl = stringField(3, 'https://opentelemetry.io/schemas/1.26.0');
    const contiguous = len(1, resource, len(2, scope, len(2, spanCore())));
    const split = len(1, resource, len(2, scope, len(2, spanCore())), schemaUrl);
    const a = decodeTraceRequest(contiguous).batch.resourceSpans[0];
    assert.deepEqual(a.fields, resource);
    assert.equal(a.fields.buffer, contiguous.buffer);
    const b = decodeTraceRequest(split).batch.resourceSpans[0];
    assert.deepEqual(b.fields, cat(resource, schemaUrl));
    assert.deepEqual(b.scopeSpans[0].fields, scope);
  });

  it('preserves unknown fields of every wire type in fields and span bytes', () => {
    const unknown = cat(varintField(99, 300), fixed64Field(98, 5n), stringField(97, 'x'), bytes(0xcd, 0x06, 1, 2, 3, 4));
    const span = cat(spanCore(), unknown);
    const input = len(1, resource, unknown, len(2, scope, unknown, len(2, span)));
    const rs = decodeTraceRequest(input).batch.resourceSpans[0];
    assert.deepEqual(rs.fields, cat(resource, unknown));
    assert.deepEqual(rs.scopeSpans[0].fields, cat(scope, unknown));
    assert.deepEqual(rs.scopeSpans[0].spans[0].bytes, span);
  });

  it('leaves out spans with invalid IDs, counts them and says why', () => {
    const zeroTrace = new Uint8Array(16);
    const input = request(
      spanCore(),
      spanCore(TRACE_ID.subarray(0, 8)),
      spanCore(zeroTrace),
      spanCore(TRACE_ID, TRACE_ID),
      spanCore(TRACE_ID, new Uint8Array(8)),
      cat(len(2, SPAN_ID)),
    );
    const decoded = decodeTraceRequest(input);
    assert.equal(decoded.batch.spanCount, 1);
    assert.equal(decoded.rejectedSpans, 5);
    assert.equal(decoded.rejectReason, '5 span(s) with an invalid trace or span ID were dropped; first: ' +
      'resource_spans[0].scope_spans[0].spans[1]: trace_id is 8 bytes, expected 16 (and 4 more)');
  });

  it('drops scopes and resources emptied by rejected spans but keeps ones that came empty', () => {
    const bad = spanCore(new Uint8Array(16));
    const input = cat(
      len(1, resource, len(2, scope, len(2, bad)), len(2, scope, len(2, spanCore()))),
      len(1, resource, len(2, scope, len(2, bad))),
      len(1, resource, len(2, scope)),
    );
    const { batch, rejectedSpans } = decodeTraceRequest(input);
    assert.equal(rejectedSpans, 2);
    assert.deepEqual(batch.resourceSpans.map((rs) => rs.scopeSpans.map((ss) => ss.spans.length)), [[1], [0]]);
  });

  it('accepts an empty request', () => {
    const { batch, rejectedSpans } = decodeTraceRequest(new Uint8Array(0));
    assert.deepEqual(batch, { resourceSpans: [], spanCount: 0 });
    assert.equal(rejectedSpans, 0);
  });

  it('names the failing span and field of a truncated length-delimited field', () => {
    const broken = cat(spanCore(), bytes(0x4a, 50, 1, 2, 3));
    const input = len(1, resource, len(2, scope, len(2, spanCore())),
      len(2, scope, len(2, spanCore()), len(2, spanCore()), len(2, spanCore()), len(2, broken)));
    expectPermanent(input, 'resource_spans[0].scope_spans[1].spans[3]: ' +
      'truncated length-delimited field 9 (length 50, 3 bytes left)');
  });

  it('names the path inside nested attributes', () => {
    const attr = (key: string, value: Uint8Array) => len(9, stringField(1, key), len(2, value));
    const span = cat(spanCore(), attr('a', stringField(1, 'x')), attr('b', len(3, bytes(1))));
    expectPermanent(request(span), 'resource_spans[0].scope_spans[0].spans[0].attributes[1].value: ' +
      'field 3 (int_value) has wire type length-delimited, expected varint');
  });

  it('rejects a known field with the wrong wire type', () => {
    expectPermanent(request(cat(spanCore(), varintField(7, 1))),
      'resource_spans[0].scope_spans[0].spans[0]: field 7 (start_time_unix_nano) has wire type varint, expected fixed64');
    expectPermanent(varintField(1, 1), 'field 1 (resource_spans) has wire type varint, expected length-delimited');
    expectPermanent(len(1, resource, varintField(2, 1)),
      'resource_spans[0]: field 2 (scope_spans) has wire type varint, expected length-delimited');
    expectPermanent(request(cat(spanCore(), len(15, varintField(2, 0)))),
      'resource_spans[0].scope_spans[0].spans[0].status: field 2 (message) has wire type varint, expected length-delimited');
  });

  it('rejects a resource whose attributes are malformed', () => {
    const badResource = len(1, len(1, stringField(1, 'k'), bytes(0x12, 9)));
    expectPermanent(len(1, badResource), /^resource_spans\[0\]\.resource\.attributes\[0\]: truncated length-delimited field 2/);
  });

  it('rejects attribute values nested deeper than 100 levels', () => {
    let value = stringField(1, 'leaf');
    for (let i = 0; i < 120; i++) value = len(5, len(1, value));
    expectPermanent(request(cat(spanCore(), len(9, stringField(1, 'deep'), len(2, value)))), /nested deeper than 100/);
  });

  it('throws PermanentError or decodes validly when truncated at any byte', async () => {
    const input = await sdkRequest();
    let threw = 0;
    for (let end = 0; end < input.length; end++) {
      try {
        decodeTraceRequest(input.subarray(0, end));
      } catch (err) {
        assert.ok(err instanceof PermanentError, `offset ${end}: ${String(err)}`);
        threw++;
      }
    }
    assert.ok(threw > input.length / 2, `only ${threw} of ${input.length} truncations were detected`);
  });

  it('throws only PermanentError when any single byte is corrupted', async () => {
    const input = await sdkRequest();
    for (let i = 0; i < input.length; i++) {
      for (const value of [0x00, 0x07, 0x80, 0xff, input[i] ^ 0x01]) {
        const copy = Uint8Array.from(input);
        copy[i] = value;
        try {
          decodeTraceRequest(copy);
        } catch (err) {
          assert.ok(err instanceof PermanentError, `byte ${i} = ${value}: ${String(err)}`);
        }
      }
    }
  });
});
