import assert from 'node:assert/strict';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../../../pipeline/otlp/encode-trace-batch.ts';
import { protobufToJson } from '../../../pipeline/otlp/json.ts';
import type { ResourceSpansRecord, SpanRecord } from '../../../pipeline/trace-batch.ts';
import { exoticSpan, sdkSpans } from './sdk-spans.ts';
import { SPAN_ID, TRACE_ID, cat, len, spanCore, stringField, varintField } from './wire.ts';

const span = (bytes: Uint8Array): SpanRecord =>
  ({ bytes, traceId: TRACE_ID, spanId: SPAN_ID, startUnixNano: 1.7e18, endUnixNano: 1.7e18 + 1000 });

describe('encodeTraceBatch', () => {
  it('re-encodes a decoded SDK request byte for byte', async () => {
    const spans = await sdkSpans();
    const input = ProtobufTraceSerializer.serializeRequest([...spans, exoticSpan(spans[0])])!;
    const output = encodeTraceBatch(decodeTraceRequest(input).batch.resourceSpans);
    assert.deepEqual(Buffer.from(output), Buffer.from(input));
  });

  it('round-trips a batch through decode exactly', () => {
    const resourceSpans: ResourceSpansRecord[] = [
      { fields: len(1, len(1, stringField(1, 'k'))), scopeSpans: [
        { fields: len(1, stringField(1, 'lib')), spans: [span(spanCore()), span(cat(spanCore(), varintField(6, 2)))] },
        { fields: new Uint8Array(0), spans: [] },
      ] },
      { fields: cat(stringField(3, 'https://schema'), varintField(42, 1)), scopeSpans: [] },
    ];
    const decoded = decodeTraceRequest(encodeTraceBatch(resourceSpans)).batch.resourceSpans;
    assert.deepEqual(decoded.map((rs) => [Buffer.from(rs.fields), rs.scopeSpans.map((ss) =>
      [Buffer.from(ss.fields), ss.spans.map((s) => Buffer.from(s.bytes))])]),
    resourceSpans.map((rs) => [Buffer.from(rs.fields), rs.scopeSpans.map((ss) =>
      [Buffer.from(ss.fields), ss.spans.map((s) => Buffer.from(s.bytes))])]));
  });

  it('writes kept fields numbered after the children after them, in canonical order', () => {
    const resource = len(1, len(1, stringField(1, 'k')));
    const schemaUrl = stringField(3, 'https://schema');
    const out = encodeTraceBatch([{ fields: cat(resource, schemaUrl), scopeSpans: [{ fields: new Uint8Array(0), spans: [] }] }]);
    assert.deepEqual(Buffer.from(out), Buffer.from(len(1, resource, len(2), schemaUrl)));
  });

  it('reports where each span landed in the output', () => {
    const bodies = [spanCore(), cat(spanCore(), stringField(5, 'x'.repeat(20000)))];
    const records = bodies.map(span);
    const seen: [SpanRecord, number][] = [];
    const out = encodeTraceBatch([{ fields: new Uint8Array(0), scopeSpans: [{ fields: new Uint8Array(0), spans: records }] }],
      (s, offset) => seen.push([s, offset]));
    assert.deepEqual(seen.map(([s]) => s), records);
    for (const [s, offset] of seen) assert.deepEqual(Buffer.from(out.subarray(offset, offset + s.bytes.length)), Buffer.from(s.bytes));
  });

  it('encodes an empty batch as an empty message', () => {
    assert.equal(encodeTraceBatch([]).length, 0);
    assert.deepEqual(protobufToJson(encodeTraceBatch([]), 'TracesData', 'otlp'), {});
  });
});
