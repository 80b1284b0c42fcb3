import assert from 'node:assert/strict';
import { combineTraces, TraceCombiner } from '../../../backend/block/combine-trace.ts';
import { encodeTrace, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

const span = (spanId: string, name: string, kind: number, startS: number, endS: number) => ({
  traceId: TRACE_ID, spanId, name, kind, startUnixNano: BigInt(startS) * 1_000_000_000n, endUnixNano: BigInt(endS) * 1_000_000_000n,
});

describe('TraceCombiner (block layer)', () => {
  const a = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [span('0000000000000001', 'root', 2, 10, 20), span('0000000000000002', 'call', 3, 11, 12)] }] }]);
  const b = encodeTrace([
    { service: 'db', scopes: [{ name: 'sql', spans: [span('0000000000000003', 'SELECT', 3, 12, 25)] }] },
    { service: 'api', scopes: [{ name: 'http', spans: [span('0000000000000002', 'call', 3, 11, 12), span('0000000000000002', 'server', 2, 11, 12)] }] },
  ]);

  it('keeps a span once per span ID and kind, and counts what it dropped', () => {
    const combiner = new TraceCombiner();
    combiner.add(a);
    combiner.add(b);
    assert.equal(combiner.inputSpans, 5);
    assert.equal(combiner.spanCount, 4);
    assert.equal(combiner.rejectedSpans, 0);
    assert.deepEqual(summarize(combiner.result().trace), [
      'api/http: 0000000000000001 root, 0000000000000002 call, 0000000000000002 server',
      'db/sql: 0000000000000003 SELECT',
    ]);
  });

  it('gives the time range of the spans it kept', () => {
    const { startUnixNano, endUnixNano } = combineTraces([a, b]);
    assert.equal(startUnixNano, 10e9);
    assert.equal(endUnixNano, 25e9);
    const empty = combineTraces([]);
    assert.deepEqual([empty.trace.byteLength, empty.spanCount, empty.startUnixNano, empty.endUnixNano], [0, 0, 0, 0]);
  });
});
