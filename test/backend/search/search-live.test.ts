import assert from 'node:assert/strict';
import type { SearchSource } from '../../../backend/querier/search-source.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';
import { searchLive } from '../../../backend/search/search-live.ts';
import { encodeTrace, type SpanSpec } from '../traceql/trace-builder.ts';

const ID_A = 'aa000000000000000000000000000001';
const ID_B = '0b000000000000000000000000000002';
const ID_C = 'cc000000000000000000000000000003';
const BASE_S = 1_700_000_000;

function part(traceId: string, spans: SpanSpec[]): [Uint8Array, Uint8Array] {
  return [Buffer.from(traceId, 'hex'), encodeTrace([{ attrs: { 'service.name': 'svc' }, spans }], traceId)];
}

function source(parts: ReadonlyArray<[Uint8Array, Uint8Array]>): SearchSource {
  return {
    async searchCandidates(_tenant, _range, visit) {
      for (const [id, trace] of parts) visit(id, trace);
    },
  };
}

const live = (sources: SearchSource[], query: string) =>
  searchLive(sources, 'single-tenant', parseSearchRequest(new URLSearchParams(query)));

describe('searchLive', function () {
  // Trace A is split between two ingesters (span a2 on both): each part is matched on its own, as in Tempo.
  const one = source([
    part(ID_A, [{ id: 'a1', status: 2, startMs: 0 }, { id: 'a2', parent: 'a1', status: 2, startMs: 1 }]),
    part(ID_C, [{ id: 'c1', startMs: 300_000 }]),
  ]);
  const two = source([
    part(ID_A, [{ id: 'a2', parent: 'a1', status: 2, startMs: 1 }, { id: 'a3', parent: 'a1', status: 2, startMs: 2 }]),
    part(ID_B, [{ id: 'b1', status: 2, startMs: 100_000 }]),
  ]);

  it('matches each part of a trace on its own, dropping duplicate spans within a part', async function () {
    const pairs = await live([one, two], 'q=' + encodeURIComponent('{ status = error } | count() > 1'));
    assert.deepEqual(pairs.traces.map((t) => [t.traceID, t.spanSets![0]!.matched]), [['aa000000000000000000000000000001', 2], ['aa000000000000000000000000000001', 2]]);
    assert.equal(pairs.inspectedTraces, 4);
    assert.ok(pairs.inspectedBytes > 0);
    const whole = await live([one, two], 'q=' + encodeURIComponent('{ status = error } | count() > 2'));
    assert.equal(whole.traces.length, 0, 'no part holds three error spans');
    const doubled = source([part(ID_A, [{ id: 'a1', status: 2, startMs: 0 }, { id: 'a1', status: 2, startMs: 0 }])]);
    const once = await live([doubled], 'q=' + encodeURIComponent('{ status = error }'));
    assert.equal(once.traces[0]!.spanSets![0]!.matched, 1);
  });

  it('stops reading the sources at the first limit matches by default', async function () {
    const first = await live([one, two], 'q=%7B%7D&limit=1');
    assert.equal(first.traces.length, 1);
    assert.equal(first.inspectedTraces, 1, 'the first part matched: nothing more is read');
  });

  it('keeps the newest limit matches for the most recent, and only traces overlapping the range', async function () {
    const newest = await live([one, two], 'q=' + encodeURIComponent('{} with (most_recent=true)') + '&limit=2');
    assert.deepEqual(newest.traces.map((t) => t.traceID), [ID_C, ID_B.replace(/^0+/, '')]);
    const ranged = await live([one, two], `q=%7B%7D&start=${BASE_S + 50}&end=${BASE_S + 200}`);
    assert.deepEqual(ranged.traces.map((t) => t.traceID), [ID_B.replace(/^0+/, '')]);
  });
});
