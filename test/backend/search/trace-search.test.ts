import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { SearchSource } from '../../../backend/querier/search-source.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';
import { TraceSearch } from '../../../backend/search/trace-search.ts';
import { encodeTrace, type SpanSpec } from '../traceql/trace-builder.ts';

const logger = pino({ level: 'silent' });
const ID_A = 'aa000000000000000000000000000001';
const ID_B = '0b000000000000000000000000000002';
const ID_C = 'cc000000000000000000000000000003';
const BASE_S = 1_700_000_000;

function part(traceId: string, spans: SpanSpec[]): [Uint8Array, Uint8Array] {
  return [Buffer.from(traceId, 'hex'), encodeTrace([{ attrs: { 'service.name': 'svc' }, spans }], traceId)];
}

function source(parts: ReadonlyArray<[Uint8Array, Uint8Array]>): SearchSource & { ranges: unknown[] } {
  const ranges: unknown[] = [];
  return {
    ranges,
    async searchCandidates(_tenant, range, visit) {
      ranges.push(range);
      for (const [id, trace] of parts) visit(id, trace);
    },
  };
}

const search = (sources: SearchSource[], query: string) =>
  new TraceSearch({ sources, logger }).search('single-tenant', parseSearchRequest(new URLSearchParams(query)));

describe('TraceSearch', function () {
  const live = source([
    part(ID_A, [{ id: 'a1', status: 2, startMs: 0 }, { id: 'a2', parent: 'a1', status: 2, startMs: 1 }]),
    part(ID_C, [{ id: 'c1', startMs: 300_000 }]),
  ]);
  const blocks = source([
    // The same span a2 again (dropped), and a third error span: trace A is split between the sources.
    part(ID_A, [{ id: 'a2', parent: 'a1', status: 2, startMs: 1 }, { id: 'a3', parent: 'a1', status: 2, startMs: 2 }]),
    part(ID_B, [{ id: 'b1', status: 2, startMs: 100_000 }]),
  ]);

  it('merges the parts of a trace from every source before evaluating, without duplicate spans', async function () {
    const res = await search([live, blocks], 'q=' + encodeURIComponent('{ status = error } | count() > 2'));
    assert.deepEqual(res.traces!.map((t) => [t.traceID, t.spanSets![0]!.matched]), [['aa000000000000000000000000000001', 3]]);
  });

  it('answers the newest traces first and stops once limit traces matched', async function () {
    const all = await search([live, blocks], 'q=%7B%7D');
    assert.deepEqual(all.traces!.map((t) => t.traceID), [ID_C, ID_B.replace(/^0+/, ''), ID_A]);
    const two = await search([live, blocks], 'q=%7B%7D&limit=2');
    assert.deepEqual(two.traces!.map((t) => t.traceID), [ID_C, ID_B.replace(/^0+/, '')]);
    assert.equal(two.metrics.inspectedTraces, 2);
  });

  it('passes the range to the sources and keeps only traces overlapping it', async function () {
    const res = await search([live, blocks], `q=%7B%7D&start=${BASE_S + 50}&end=${BASE_S + 200}`);
    assert.deepEqual(res.traces!.map((t) => t.traceID), [ID_B.replace(/^0+/, '')]);
    assert.deepEqual(live.ranges.at(-1), { start: BASE_S + 50, end: BASE_S + 200 });
  });

  it('reports the bytes inspected as a string and gives no traces key without matches', async function () {
    const res = await search([live, blocks], 'q=' + encodeURIComponent('{ name = "nothing" }'));
    assert.equal('traces' in res, false);
    assert.match(res.metrics.inspectedBytes!, /^[1-9][0-9]*$/);
    assert.equal(res.metrics.inspectedTraces, 3);
  });
});
