import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { traceModels } from '../../../backend/traceql/trace-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import type { RoleProcess } from '../roles/role-process.ts';
import { waitFor } from '../tempo-client.ts';
import { frontendOverBlocks, type FrontendOverBlocks } from './frontend-over-blocks.ts';
import { generateCorpus, otlpJsonRequest } from './search-corpus.ts';

const QUERY = '{ span.http.status_code >= 500 && resource.service.name != "db" }';

describe('GET /api/search through a query-frontend and a querier (real processes)', function () {
  this.timeout(120_000);
  const nowMs = Date.now();
  const corpus = generateCorpus({ traces: 60, seed: 3, nowMs });
  let cluster: FrontendOverBlocks | undefined;
  let frontend: RoleProcess;

  before(async function () {
    cluster = await frontendOverBlocks(corpus.flat(), 'team-a');
    frontend = cluster.frontend;
  });

  after(async function () {
    await cluster?.close();
  });

  it('answers the reference\'s traces from blocks for the tenant, forwarded to the querier', async function () {
    const expected = evaluate(QUERY, traceModels(otlpJsonToProtobuf(otlpJsonRequest(corpus.flat()))))
      .map((m) => `${m.trace.traceId.replace(/^0+/, '')}:${m.spanSets[0]!.spans.length}`).sort();
    assert.ok(expected.length > 0);
    const url = frontend.apiUrl(`/api/search?q=${encodeURIComponent(QUERY)}&limit=100`);
    const actual = await waitFor('the querier to list the blocks', async () => {
      const res = await fetch(url, { headers: { 'x-scope-orgid': 'team-a' } });
      assert.equal(res.status, 200);
      const body = await res.json() as { traces?: { traceID: string; spanSets: { matched: number }[] }[] };
      const got = (body.traces ?? []).map((t) => `${t.traceID}:${t.spanSets[0]!.matched}`).sort();
      return got.length === expected.length ? got : undefined;
    });
    assert.deepEqual(actual, expected);
    assert.match(frontend.output, /"modules":\["query-frontend","api"\]/, 'the frontend reads no blocks itself');
  });

  it('keeps tenants apart, and answers 401 without a tenant and 400 for a bad one or bad TraceQL', async function () {
    const other = await fetch(frontend.apiUrl('/api/search?q=%7B%7D'), { headers: { 'x-scope-orgid': 'team-b' } });
    assert.equal(other.status, 200);
    assert.equal((await other.json() as { traces?: unknown[] }).traces, undefined);
    assert.equal((await fetch(frontend.apiUrl('/api/search'))).status, 401);
    assert.equal((await fetch(frontend.apiUrl('/api/search'), { headers: { 'x-scope-orgid': 'a/b' } })).status, 400);
    const bad = await fetch(frontend.apiUrl('/api/search?q=%7B+.a+%3D+%7D'), { headers: { 'x-scope-orgid': 'team-a' } });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /^invalid TraceQL query: parse error at line 1, col 8: /);
  });
});
