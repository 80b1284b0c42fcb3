import assert from 'node:assert/strict';
import { PermanentError } from '../../../pipeline/errors.ts';
import { marshalTraces, unmarshalTraces, type KafkaEncoding } from '../../../pipeline/kafka/encoding.ts';
import { encodeTraceBatch } from '../../../pipeline/otlp/encode-trace-batch.ts';
import { spansByTrace, traceFixture } from './trace-fixtures.ts';

describe('kafka encoding', () => {
  for (const encoding of ['otlp_proto', 'otlp_json'] as KafkaEncoding[]) {
    it(`round-trips spans, resources and scopes through ${encoding}`, () => {
      const { batch } = traceFixture({ services: 2, traces: 3 });
      const back = unmarshalTraces(marshalTraces(batch.resourceSpans, encoding), encoding);
      assert.equal(back.spanCount, batch.spanCount);
      assert.deepEqual(spansByTrace(back), spansByTrace(batch));
      const reencoded = Buffer.from(encodeTraceBatch(back.resourceSpans));
      assert.equal(Buffer.compare(reencoded, Buffer.from(encodeTraceBatch(batch.resourceSpans))), 0);
    });

    it(`reads a message without spans as an empty batch (${encoding})`, () => {
      const back = unmarshalTraces(marshalTraces([], encoding), encoding);
      assert.equal(back.spanCount, 0);
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
