import assert from 'node:assert/strict';
import { PartitionData } from '../../../backend/ingest/partition-data.ts';
import type { TimeRange } from '../../../backend/querier/trace-source.ts';
import { makeBatch, spanNumbers, traceIdOf } from '../wal/fixtures/make-batch.ts';

function parts(data: PartitionData, tenant: string, range?: TimeRange): [string, number[]][] {
  const out: [string, number[]][] = [];
  data.searchParts(tenant, range, (id, trace) => out.push([Buffer.from(id).toString('hex'), spanNumbers(trace)]));
  return out;
}

const hex = (trace: number): string => Buffer.from(traceIdOf(trace)).toString('hex');

describe('PartitionData.searchParts', () => {
  it('hands over each held trace of the tenant once, its records together, within the range', () => {
    const data = new PartitionData(0);
    data.add(1, 't1', makeBatch([{ service: 'a', spans: [{ trace: 1, span: 1, startUnixNano: 1e18, endUnixNano: 1e18 + 1e6 }] }]), 10);
    data.add(2, 't1', makeBatch([{ service: 'b', spans: [{ trace: 1, span: 2, startUnixNano: 1e18, endUnixNano: 1e18 + 1e6 }] }]), 10);
    data.add(3, 't1', makeBatch([{ service: 'a', spans: [{ trace: 2, span: 3, startUnixNano: 2e18, endUnixNano: 2e18 + 1e6 }] }]), 10);
    data.add(4, 't2', makeBatch([{ service: 'a', spans: [{ trace: 3, span: 4 }] }]), 10);
    assert.deepEqual(parts(data, 't1'), [[hex(1), [1, 2]], [hex(2), [3]]]);
    assert.deepEqual(parts(data, 't1', { start: 2e9 - 1, end: 2e9 + 1 }), [[hex(2), [3]]]);
    assert.deepEqual(parts(data, 't2').map(([id]) => id), [hex(3)]);
    assert.deepEqual(parts(data, 'none'), []);
  });
});
