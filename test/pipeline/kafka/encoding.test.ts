import assert from 'node:assert/strict';
import { PermanentError } from '../../../pipeline/errors.ts';
import { marshalTraces, unmarshalTraces, type KafkaEncoding } from '../../../pipeline/kafka/encoding.ts';
import { encodeTraceBatch } from '../../../pipeline/otlp/encode-trace-batch.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { spansByTrace, traceFixture } from './trace-fixtures.ts';

describe('kafka encoding', () => {
  for (const encoding of ['otlp_proto', 'otlp_json'] as KafkaEncoding[]) {
    it(`round-trips spans, resources and scopes through ${encoding}`, () => {
      const { batch } = traceFixture({ services: 2, traces: 3 });
      const decoded = unmarshalTraces(marshalTraces(batch.resourceSpans, encoding), encoding);
      assert.equal(decoded.rejectedSpans, 0);
      const back = decoded.batch;
      assert.equal(back.spanCount, batch.spanCount);
      assert.deepEqual(spansByTrace(back), spansByTrace(batch));
      const reencoded = Buffer.from(encodeTraceBatch(back.resourceSpans));
      assert.equal(Buffer.compare(reencoded, Buffer.from(encodeTraceBatch(batch.resourceSpans))), 0);
    });

    it(`reads a message without spans as an empty batch (${encoding})`, () => {
      const back = unmarshalTraces(marshalTraces([], encoding), encoding);
      assert.equal(back.batch.spanCount, 0);
    });

    it(`counts spans with invalid IDs instead of dropping them silently (${encoding})`, () => {
      const { json } = traceFixture({ services: 1, traces: 2, spansPerTrace: 2 });
      const spans = (json.resourceSpans[0] as { scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }).scopeSpans[0]!.spans;
      spans[0]!.traceId = '0'.repeat(32);
      spans[1]!.spanId = 'abcd';
      const value = encoding === 'otlp_proto' ? Buffer.from(otlpJsonToProtobuf(json)) : Buffer.from(JSON.stringify(json));
      const decoded = unmarshalTraces(value, encoding);
      assert.equal(decoded.batch.spanCount, 2);
      assert.equal(decoded.rejectedSpans, 2);
      assert.match(decoded.rejectReason ?? '', /trace|span/i);
    });
  }

  it('writes otlp_proto as the ExportTraceServiceRequest bytes themselves', () => {
    const { batch } = traceFixture();
    const value = marshalTraces(batch.resourceSpans, 'otlp_proto');
    assert.equal(Buffer.compare(value, Buffer.from(encodeTraceBatch(batch.resourceSpans))), 0);
  });

  it('writes otlp_json with hex IDs and camelCase keys, as OTLP/JSON', () => {
    const { batch, traceIds } = traceFixture({ services: 1, traces: 1, spansPerTrace: 1 });
    const json = JSON.parse(marshalTraces(batch.resourceSpans, 'otlp_json').toString('utf8'));
    const span = json.resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.traceId, traceIds[0]);
    assert.match(span.spanId, /^[0-9a-f]{16}$/);
    assert.equal(typeof span.startTimeUnixNano, 'string');
  });

  it('refuses a record without a value (a tombstone) with a PermanentError', () => {
    assert.throws(() => unmarshalTraces(null, 'otlp_proto'), (err: unknown) => err instanceof PermanentError && /no value/.test(err.message));
  });

  it('refuses malformed protobuf with a PermanentError', () => {
    assert.throws(() => unmarshalTraces(Buffer.from([0x0a, 0x10, 0x01]), 'otlp_proto'), PermanentError);
  });

  it('refuses a value that is not JSON with a PermanentError', () => {
    assert.throws(() => unmarshalTraces(Buffer.from('{"resourceSpans": ['), 'otlp_json'), PermanentError);
  });

  it('refuses JSON that is not an OTLP request with a PermanentError naming the path', () => {
    const bad = Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz' }] }] }] }));
    assert.throws(() => unmarshalTraces(bad, 'otlp_json'), (err: unknown) => {
      assert.ok(err instanceof PermanentError);
      assert.match(err.message, /traceId/i);
      return true;
    });
  });
});
