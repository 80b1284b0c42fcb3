import assert from 'node:assert/strict';
import { PartitionData } from '../../../backend/ingest/partition-data.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import type { TraceBatch } from '../../../pipeline/trace-batch.ts';
import { encodeTrace, summarize } from '../../support/otlp-traces.ts';

const A = 'aa'.repeat(16);
const B = '01'.repeat(16);

function batch(service: string, spans: readonly [traceId: string, spanId: string, name: string][]): TraceBatch {
  const bytes = encodeTrace([{ service, scopes: [{ name: 'lib', spans: spans.map(([traceId, spanId, name]) => ({ traceId, spanId, name })) }] }]);
  return decodeTraceRequest(bytes).batch;
}

describe('PartitionData', () => {
  it('returns a trace gathered from several records as one Trace, one ResourceSpans per distinct resource', () => {
    const data = new PartitionData(0);
    data.add(10, 't1', batch('api', [[A, '0000000000000001', 'root'], [B, '0000000000000009', 'other']]), 100);
    data.add(11, 't1', batch('api', [[A, '0000000000000002', 'child']]), 50);
    data.add(12, 't1', batch('db', [[A, '0000000000000003', 'query']]), 50);
    const part = data.tracePart('t1', Buffer.from(A, 'hex'));
    assert.ok(part);
    assert.deepEqual(summarize(part), ['api/lib: 0000000000000001 root, 0000000000000002 child', 'db/lib: 0000000000000003 query']);
    assert.equal(data.lastOffset, 12);
    assert.equal(data.bytes, 200);
    assert.equal(data.spans, 4);
    assert.equal(data.traceCount, 2);
  });

  it('keeps tenants apart', () => {
    const data = new PartitionData(0);
    data.add(0, 't1', batch('api', [[A, '0000000000000001', 'mine']]), 10);
    assert.equal(data.tracePart('t2', Buffer.from(A, 'hex')), undefined);
    assert.ok(data.tracePart('t1', Buffer.from(A, 'hex')));
  });

  it('gives one block entry list per tenant, sorted by trace ID, with span counts', async () => {
    const data = new PartitionData(0);
    data.add(0, 't1', batch('api', [[A, '0000000000000001', 'a1'], [B, '0000000000000002', 'b1']]), 10);
    data.add(1, 't2', batch('api', [[A, '0000000000000003', 'a2']]), 10);
    data.add(2, 't1', batch('api', [[A, '0000000000000004', 'a3']]), 10);
    const blocks = new Map(await data.blockEntries());
    assert.deepEqual([...blocks.keys()], ['t1', 't2']);
    const t1 = blocks.get('t1')!;
    assert.deepEqual(t1.map((e) => [Buffer.from(e.traceId).toString('hex'), e.spanCount]), [[B, 1], [A, 2]]);
    assert.deepEqual(summarize(t1[1].trace), ['api/lib: 0000000000000001 a1, 0000000000000004 a3']);
  });

  it('counts a record without spans in the range without indexing anything', async () => {
    const data = new PartitionData(0);
    data.add(7, '', { resourceSpans: [], spanCount: 0 }, 33);
    assert.equal(data.lastOffset, 7);
    assert.equal(data.bytes, 33);
    assert.equal((await data.blockEntries()).length, 0);
  });
});
