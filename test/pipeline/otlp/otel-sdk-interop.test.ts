import assert from 'node:assert/strict';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { bytesToHex } from '../../../pipeline/otlp/hex.ts';
import { otlpJsonToProtobuf, protobufToJson } from '../../../pipeline/otlp/json.ts';
import { exoticSpan, sdkSpans } from './sdk-spans.ts';

/** The SDK's serializers (as its OTLP exporters use them) against our codec. */
describe('OTLP codec and the OpenTelemetry JS SDK', () => {
  let spans: ReadableSpan[];
  let sdkProtobuf: Uint8Array;
  let sdkJson: unknown;

  before(async () => {
    const made = await sdkSpans();
    spans = [...made, exoticSpan(made[0])];
    sdkProtobuf = ProtobufTraceSerializer.serializeRequest(spans)!;
    sdkJson = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!));
  });

  it('decodes the SDK protobuf request with every span accepted', () => {
    const { batch, rejectedSpans } = decodeTraceRequest(sdkProtobuf);
    assert.equal(rejectedSpans, 0);
    assert.equal(batch.spanCount, spans.length);
  });

  it('converts the SDK JSON request to protobuf equal field by field to the SDK protobuf request', () => {
    const ours = otlpJsonToProtobuf(sdkJson);
    for (const style of ['otlp', 'tempo'] as const) {
      assert.deepEqual(protobufToJson(ours, 'ExportTraceServiceRequest', style),
        protobufToJson(sdkProtobuf, 'ExportTraceServiceRequest', style), style);
    }
  });

  it('decodes the converted JSON request to the same spans as the SDK protobuf request', () => {
    const ids = (buf: Uint8Array) => decodeTraceRequest(buf).batch.resourceSpans
      .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
      .map((s) => [bytesToHex(s.traceId), bytesToHex(s.spanId), s.startUnixNano, s.endUnixNano]);
    assert.deepEqual(ids(otlpJsonToProtobuf(sdkJson)), ids(sdkProtobuf));
  });

  it('writes OTLP/JSON that matches the SDK JSON serializer modulo zero values', () => {
    const ours = protobufToJson(sdkProtobuf, 'ExportTraceServiceRequest', 'otlp');
    assert.deepEqual(ours, normalize(sdkJson));
  });
});

/**
 * The SDK's JSON as proto3 JSON writes it by default: zero values and empty lists left out, int64 as strings
 * (the SDK writes intValue as a number), doubles that are integers stay doubles.
 */
function normalize(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => normalize(x, key));
  if (v === null || typeof v !== 'object') return key === 'intValue' ? String(v) : v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const oneof = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue'].includes(k);
    if (!oneof && (x === 0 || x === '' || x === false || x === undefined || (Array.isArray(x) && x.length === 0))) continue;
    out[k] = normalize(x, k);
  }
  return out;
}
