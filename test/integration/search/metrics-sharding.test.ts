import assert from 'node:assert/strict';
import type { RoleProcess } from '../roles/role-process.ts';
import { waitFor } from '../tempo-client.ts';
import { generateCorpus } from './search-corpus.ts';
import { shardedCluster, type ShardedCluster } from './sharded-cluster.ts';

const ROUNDS = 4;
const STEP = 300;

interface RangeBody {
  series?: { promLabels: string; samples: { timestampMs: string; value?: number }[]; exemplars?: { labels: { value: { stringValue: string } }[] }[] }[];
  metrics: { inspectedSpans?: string; totalBlocks?: number; totalJobs?: number; completedJobs?: number };
}

describe('metrics queries split into jobs by a query-frontend over two queriers (real processes)', function () {
  this.timeout(180_000);
  const nowMs = Date.now();
  // One block per round, ten minutes apart.
  const rounds = Array.from({ length: ROUNDS }, (_, r) => generateCorpus({ traces: 25, seed: 31 + r, nowMs: nowMs - (ROUNDS - 1 - r) * 600_000 }));
  const spans = rounds.flat().flat();
  const range = { start: String(Math.floor(nowMs / 1000) - 3 * 3600), end: String(Math.floor(nowMs / 1000) + 600), step: `${STEP}s` };
  let cluster: ShardedCluster | undefined;
  let queriers: readonly RoleProcess[];
  let frontend: RoleProcess;

  before(async function () {
    // Every block a job of its own, two at a time over the two queriers.
    cluster = await shardedCluster(rounds, { target_bytes_per_job: 1, concurrent_jobs: 2 });
    ({ queriers, frontend } = cluster);
    for (const q of queriers) {
      await waitFor('the querier to list every block', async () => {
        const body = await queryRange(q, '{} | count_over_time()');
        return body.metrics.inspectedSpans === String(spans.length) ? true : undefined;
      });
    }
  });

  after(async function () {
    await cluster?.close();
  });

  async function queryRange(role: RoleProcess, q: string): Promise<RangeBody> {
    const res = await fetch(role.apiUrl(`/api/metrics/query_range?${new URLSearchParams({ q, ...range }).toString()}`));
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return JSON.parse(text) as RangeBody;
  }

  /** The series without exemplars (which each plan of jobs picks on its own). */
  const seriesOf = (body: RangeBody) => (body.series ?? []).map((s) => ({ promLabels: s.promLabels, samples: s.samples }));

  it('answers what a single querier answers by itself, one job per block plus the live one', async function () {
    for (const q of [
      '{} | count_over_time() by (resource.service.name)', '{ status = error } | rate() by (name)',
      '{} | avg_over_time(span.http.status_code) by (resource.service.name)', '{} | max_over_time(duration)',
      '{} | quantile_over_time(duration, .5, .99) by (resource.service.name)', '{} | histogram_over_time(duration)',
    ]) {
      const split = await queryRange(frontend, q);
      const single = await queryRange(queriers[1]!, q);
      assert.ok((split.series ?? []).length > 0, q);
      assert.deepEqual(seriesOf(split), seriesOf(single), q);
      assert.deepEqual([split.metrics.totalJobs, split.metrics.completedJobs, split.metrics.totalBlocks], [ROUNDS + 1, ROUNDS + 1, ROUNDS], q);
      assert.equal(split.metrics.inspectedSpans, String(spans.length));
    }
    assert.match(frontend.output, /"modules":\["query-frontend","api"\]/, 'the frontend reads no storage itself');
  });

  it('counts every span once, as the reference does', async function () {
    const body = await queryRange(frontend, '{} | count_over_time() by (resource.service.name)');
    const total = new Map<string, number>();
    for (const s of body.series!) total.set(s.promLabels, s.samples.reduce((n, x) => n + (x.value ?? 0), 0));
    const expected = new Map<string, number>();
    for (const s of spans) expected.set(`{"resource.service.name"="${s.service}"}`, (expected.get(`{"resource.service.name"="${s.service}"}`) ?? 0) + 1);
    assert.deepEqual(new Map([...total].sort()), new Map([...expected].sort()));
    const exemplars = body.series!.flatMap((s) => s.exemplars ?? []);
    const ids = new Set(spans.map((s) => s.traceId.replace(/^0+/, '')));
    assert.ok(exemplars.length > 0 && exemplars.length <= 100);
    for (const e of exemplars) assert.ok(ids.has(e.labels[0]!.value.stringValue.replace(/^0+/, '')));
  });

  it('retries the jobs of a querier killed mid-query on the other one', async function () {
    const q = '{} | count_over_time() by (resource.service.name)';
    const expected = seriesOf(await queryRange(frontend, q));
    const pending = queryRange(frontend, q);
    await queriers[0]!.stop('SIGKILL');
    assert.deepEqual(seriesOf(await pending), expected);
    assert.deepEqual(seriesOf(await queryRange(frontend, q)), expected);
  });
});
