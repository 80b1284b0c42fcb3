import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { traceModels } from '../../../backend/traceql/trace-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import type { RoleProcess } from '../roles/role-process.ts';
import { roleConfig } from '../roles/role-config.ts';
import { waitFor } from '../tempo-client.ts';
import { generateCorpus, otlpJsonRequest, type CorpusSpan } from './search-corpus.ts';
import { searchJson } from './search-json.ts';
import { shardedCluster, type ShardedCluster } from './sharded-cluster.ts';

const ROUNDS = 4;
const QUERY = '{ status = error || span.http.status_code >= 500 }';

interface SearchBody {
  traces?: { traceID: string; startTimeUnixNano: string; spanSets: { matched: number }[] }[];
  metrics: { inspectedTraces?: number; inspectedBytes?: string; completedJobs?: number; totalJobs?: number };
}

describe('search split into jobs by a query-frontend over two queriers (real processes)', function () {
  this.timeout(180_000);
  const nowMs = Date.now();
  // One block per round, ten minutes apart, so blocks do not overlap in time.
  const rounds = Array.from({ length: ROUNDS }, (_, r) => generateCorpus({ traces: 25, seed: 11 + r, nowMs: nowMs - (ROUNDS - 1 - r) * 600_000 }));
  const all = rounds.flat();
  const range = { start: String(Math.floor(nowMs / 1000) - 3 * 3600), end: String(Math.floor(nowMs / 1000) + 600) };
  let cluster: ShardedCluster | undefined;
  let dir: string;
  let blocksDir: string;
  let queriers: readonly RoleProcess[] = [];
  let frontend: RoleProcess;
  let start: ShardedCluster['start'];

  before(async function () {
    // Every block a job of its own, one job at a time: the jobs alternate between the queriers.
    cluster = await shardedCluster(rounds, { target_bytes_per_job: 1, concurrent_jobs: 1 });
    ({ dir, blocksDir, queriers, frontend, start } = cluster);
    for (const q of queriers) {
      await waitFor('the querier to list every block', async () => {
        const body = await search(q, { q: '{}', limit: '1000', ...range });
        return body.traces?.length === all.length ? true : undefined;
      });
    }
  });

  after(async function () {
    await cluster?.close();
  });

  it('answers the reference\'s traces through jobs, one per block plus the live one', async function () {
    const body = await search(frontend, { q: QUERY, limit: '1000', ...range });
    assert.deepEqual(found(body), reference(QUERY, all));
    assert.deepEqual([body.metrics.totalJobs, body.metrics.completedJobs], [ROUNDS + 1, ROUNDS + 1]);
    assert.equal(body.metrics.inspectedTraces, all.length);
    assert.match(frontend.output, /"modules":\["query-frontend","api"\]/, 'the frontend reads no storage itself');
  });

  it('answers the newest traces within limit with most_recent, newest first, without running the older blocks\' jobs', async function () {
    const body = await search(frontend, { q: '{} with (most_recent=true)', limit: '7', ...range });
    const newest = all.map((t) => ({ id: t[0]!.traceId.replace(/^0+/, ''), start: t.reduce((m, s) => (s.startNanos < m ? s.startNanos : m), t[0]!.startNanos) }))
      .sort((a, b) => (a.start > b.start ? -1 : a.start < b.start ? 1 : 0)).slice(0, 7).map((t) => t.id);
    assert.deepEqual(body.traces!.map((t) => t.traceID), newest);
    // Jobs run one at a time: the live one, then the newest block, whose traces are all newer than the
    // other blocks end: the search stops there.
    assert.deepEqual([body.metrics.completedJobs, body.metrics.totalJobs], [2, ROUNDS + 1]);
  });

  it('answers the first limit traces found without most_recent, stopping after the first block holding them', async function () {
    const body = await search(frontend, { q: '{}', limit: '7', ...range });
    const ids = new Set(all.map((t) => t[0]!.traceId.replace(/^0+/, '')));
    assert.equal(body.traces!.length, 7);
    assert.ok(body.traces!.every((t) => ids.has(t.traceID)));
    assert.deepEqual([body.metrics.completedJobs, body.metrics.totalJobs], [2, ROUNDS + 1]);
  });

  it('refuses a range over max_duration and a limit of 0 with Tempo\'s words', async function () {
    const res = await fetch(frontend.apiUrl(`/api/search?q=%7B%7D&start=1000&end=${1000 + 200 * 3600}`));
    assert.equal(res.status, 400);
    assert.equal(await res.text(), `range specified by start and end exceeds 168h0m0s. received start=1000 end=${1000 + 200 * 3600}`);
    assert.equal((await fetch(frontend.apiUrl('/api/search?q=%7B%7D&limit=0'))).status, 400);
  });

  it('answers 504 past query_timeout and 400 over max_result_limit, as configured', async function () {
    const strict = start(await roleConfig(dir, 'strict-frontend', blocksDir, (doc) => {
      doc.setIn(['exporters', 'tracelake', 'query_frontend'], doc.createNode({
        querier_addresses: queriers.map((q) => `127.0.0.1:${q.ports.api}`),
        search: { query_timeout: '1ms', max_result_limit: 10, default_result_limit: 5 },
      }));
    }), 'query-frontend');
    await strict.waitReady();
    const late = await fetch(strict.apiUrl(`/api/search?q=%7B%7D&${new URLSearchParams(range).toString()}`));
    assert.deepEqual([late.status, await late.text()], [504, 'context deadline exceeded']);
    const many = await fetch(strict.apiUrl('/api/search?q=%7B%7D&limit=11'));
    assert.deepEqual([many.status, await many.text()], [400, 'limit 11 exceeds max limit 10']);
    await strict.stop('SIGKILL');
  });

  it('retries the jobs of a querier killed mid-search on the other one', async function () {
    const pending = search(frontend, { q: QUERY, limit: '1000', ...range });
    await queriers[0]!.stop('SIGKILL');
    const during = await pending;
    assert.deepEqual(found(during), reference(QUERY, all));
    const after = await search(frontend, { q: QUERY, limit: '1000', ...range });
    assert.deepEqual(found(after), reference(QUERY, all));
    assert.deepEqual([after.metrics.totalJobs, after.metrics.completedJobs], [ROUNDS + 1, ROUNDS + 1]);
  });
});

function search(role: RoleProcess, params: Record<string, string>): Promise<SearchBody> {
  return searchJson<SearchBody>(role, params);
}

/** Trace ID → matched count of its span set. */
function found(body: SearchBody): Record<string, number> {
  return Object.fromEntries((body.traces ?? []).map((t) => [t.traceID, t.spanSets[0]!.matched]));
}

function reference(query: string, traces: readonly CorpusSpan[][]): Record<string, number> {
  const models = traceModels(otlpJsonToProtobuf(otlpJsonRequest(traces.flat())));
  return Object.fromEntries(evaluate(query, models).map((m) => [m.trace.traceId.replace(/^0+/, ''), m.spanSets[0]!.spans.length]));
}
