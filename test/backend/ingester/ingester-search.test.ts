import assert from 'node:assert/strict';
import type { Ingester } from '../../../backend/ingester/ingester.ts';
import type { TimeRange } from '../../../backend/querier/trace-source.ts';
import { makeBatch, spanNumbers, spansOf, traceIdOf } from '../wal/fixtures/make-batch.ts';
import { makeHarness, type Harness } from './fixtures/ingester-harness.ts';

/** Trace ID hex → span numbers of each part handed over. */
async function candidates(ingester: Ingester, tenant = 't1', range?: TimeRange): Promise<Map<string, number[][]>> {
  const out = new Map<string, number[][]>();
  await ingester.searchCandidates(tenant, range, (id, trace) => {
    const key = Buffer.from(id).toString('hex');
    out.set(key, [...(out.get(key) ?? []), spanNumbers(trace)]);
  });
  return out;
}

const hex = (trace: number): string => Buffer.from(traceIdOf(trace)).toString('hex');

describe('Ingester.searchCandidates', () => {
  let h: Harness;
  let ingester: Ingester;
  beforeEach(async () => {
    h = await makeHarness();
    ingester = h.create();
    await ingester.start();
  });
  afterEach(async () => {
    await ingester.shutdown().catch(() => undefined);
    await h.cleanup();
  });

  it('hands over each live trace of the tenant once, read from the WAL', async () => {
    await ingester.push('t1', makeBatch([{ service: 's', spans: [...spansOf(1, 2), ...spansOf(2, 1)] }]));
    await ingester.push('t2', makeBatch([{ service: 's', spans: spansOf(3, 1) }]));
    const found = await candidates(ingester);
    assert.deepEqual(found, new Map([[hex(1), [spansOf(1, 2).map((s) => s.span)]], [hex(2), [spansOf(2, 1).map((s) => s.span)]]]));
  });

  it('gives a trace held partly in the head and partly live as one part', async () => {
    await ingester.push('t1', makeBatch([{ service: 's', spans: spansOf(1, 2) }]));
    h.clock += 5_000;
    await ingester.sweep();
    await ingester.push('t1', makeBatch([{ service: 's', spans: spansOf(1, 1, 2) }]));
    assert.deepEqual(await candidates(ingester), new Map([[hex(1), [spansOf(1, 3).map((s) => s.span)]]]));
  });

  it('leaves out traces outside the range, and traces already flushed to blocks', async () => {
    await ingester.push('t1', makeBatch([{ service: 's', spans: [{ trace: 1, span: 1, startUnixNano: 1e18, endUnixNano: 1e18 + 1e9 }] }]));
    await ingester.push('t1', makeBatch([{ service: 's', spans: [{ trace: 2, span: 2, startUnixNano: 2e18, endUnixNano: 2e18 + 1e9 }] }]));
    assert.deepEqual([...(await candidates(ingester, 't1', { start: 1e9 - 10, end: 1e9 + 10 })).keys()], [hex(1)]);
    h.clock += 5_000;
    await ingester.sweep();
    h.clock += 60_000;
    await ingester.sweep();
    assert.equal(h.blocks.length, 1);
    assert.equal((await candidates(ingester)).size, 0);
  });
});
