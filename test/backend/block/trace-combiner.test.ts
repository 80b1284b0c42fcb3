import assert from 'node:assert/strict';
import { combineTraces, TraceCombiner } from '../../../backend/block/combine-trace.ts';
import { PermanentError } from '../../../pipeline/errors.ts';
import { encodeTrace, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

const span = (spanId: string, name: string, kind = 2) => ({ traceId: TRACE_ID, spanId, name, kind });

describe('combineTraces', () => {
  it('returns an empty trace for no parts', () => {
    const { trace, spanCount } = combineTraces([]);
    assert.equal(spanCount, 0);
    assert.equal(trace.byteLength, 0);
  });

  it('returns an empty trace for parts without spans', () => {
    const { trace, spanCount } = combineTraces([new Uint8Array(0), encodeTrace([{ service: 'a', scopes: [] }])]);
    assert.equal(spanCount, 0);
    assert.deepEqual(summarize(trace), []);
  });

  it('merges identical resources and scopes across parts, in first-seen order', () => {
    const live = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [span('0000000000000001', 'GET')] }] }]);
    const block = encodeTrace([
      { service: 'db', scopes: [{ name: 'sql', spans: [span('0000000000000003', 'SELECT')] }] },
      { service: 'api', scopes: [{ name: 'http', spans: [span('0000000000000002', 'POST')] }] },
    ]);
    const { trace, spanCount } = combineTraces([live, block]);
    assert.equal(spanCount, 3);
    assert.deepEqual(summarize(trace), [
      'api/http: 0000000000000001 GET, 0000000000000002 POST',
      'db/sql: 0000000000000003 SELECT',
    ]);
  });

  it('keeps scopes apart when any scope field differs', () => {
    const a = encodeTrace([{ service: 'api', scopes: [{ name: 'http', version: '1', spans: [span('0000000000000001', 'a')] }] }]);
    const b = encodeTrace([{ service: 'api', scopes: [{ name: 'http', version: '2', spans: [span('0000000000000002', 'b')] }] }]);
    assert.deepEqual(summarize(combineTraces([a, b]).trace), [
      'api/http: 0000000000000001 a',
      'api/http: 0000000000000002 b',
    ]);
  });

  it('drops a span seen again in live data, WAL and blocks', () => {
    const spans = [span('0000000000000001', 'root'), span('0000000000000002', 'child')];
    const live = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: spans.slice(1) }] }]);
    const wal = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans }] }]);
    const block1 = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: spans.slice(0, 1) }] }]);
    const block2 = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans }] }]);
    const { trace, spanCount } = combineTraces([live, wal, block1, block2]);
    assert.equal(spanCount, 2);
    assert.deepEqual(summarize(trace), ['api/http: 0000000000000002 child, 0000000000000001 root']);
  });

  it('keeps Zipkin client and server spans that share a span ID', () => {
    const part = encodeTrace([{ service: 'api', scopes: [{ name: 'zipkin', spans: [
      span('00000000000000aa', 'call', 3), span('00000000000000aa', 'call', 2), span('00000000000000aa', 'call', 2),
    ] }] }]);
    assert.equal(combineTraces([part]).spanCount, 2);
  });

  it('leaves out a resource whose spans were all duplicates', () => {
    const a = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [span('0000000000000001', 'x')] }] }]);
    const b = encodeTrace([{ service: 'other', scopes: [{ name: 'http', spans: [span('0000000000000001', 'x')] }] }]);
    assert.deepEqual(summarize(combineTraces([a, b]).trace), ['api/http: 0000000000000001 x']);
  });
});

describe('TraceCombiner', () => {
  it('throws PermanentError on a malformed part and keeps what it had', () => {
    const combiner = new TraceCombiner();
    combiner.add(encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [span('0000000000000001', 'x')] }] }]));
    assert.throws(() => combiner.add(Uint8Array.of(0x0a, 0x05, 0x01)), PermanentError);
    assert.equal(combiner.spanCount, 1);
    assert.deepEqual(summarize(combiner.result().trace), ['api/http: 0000000000000001 x']);
  });
});
