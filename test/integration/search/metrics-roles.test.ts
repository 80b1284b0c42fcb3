import assert from 'node:assert/strict';
import type { RoleProcess } from '../roles/role-process.ts';
import { frontendOverBlocks, type FrontendOverBlocks } from './frontend-over-blocks.ts';
import { generateCorpus } from './search-corpus.ts';

describe('GET /api/metrics/* through a query-frontend and a querier (real processes)', function () {
  this.timeout(120_000);
  const nowMs = Date.now();
  const corpus = generateCorpus({ traces: 60, seed: 5, nowMs });
  const spans = corpus.flat();
  const start = Math.floor(nowMs / 1000) - 4 * 3600;
  const end = Math.floor(nowMs / 1000) + 600;
  let cluster: FrontendOverBlocks | undefined;
  let frontend: RoleProcess;

  before(async function () {
    cluster = await frontendOverBlocks(spans, 'team-a');
    frontend = cluster.frontend;
  });

  after(async function () {
    await cluster?.close();
  });

  async function get(path: string, tenant?: string): Promise<{ status: number; text: string }> {
    const res = await fetch(frontend.apiUrl(path), { headers: tenant === undefined ? {} : { 'x-scope-orgid': tenant } });
    return { status: res.status, text: await res.text() };
  }

  it('answers the tenant\'s instant counts from the querier\'s blocks', async function () {
    const q = encodeURIComponent('{} | count_over_time() by (resource.service.name)');
    const res = await get(`/api/metrics/query?q=${q}&start=${start}&end=${end}`, 'team-a');
    assert.equal(res.status, 200, res.text);
    const body = JSON.parse(res.text) as { series: { promLabels: string; value?: number }[] };
    const lo = BigInt(start) * 1_000_000_000n;
    const hi = BigInt(end) * 1_000_000_000n;
    const expected = new Map<string, number>();
    for (const s of spans) {
      if (s.startNanos <= lo || s.startNanos > hi) continue;
      const key = `{"resource.service.name"="${s.service}"}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    assert.deepEqual(new Map(body.series.map((s) => [s.promLabels, s.value ?? 0])), expected);
  });

  it('keeps tenants apart and checks the request before forwarding it', async function () {
    const q = encodeURIComponent('{} | rate()');
    const other = await get(`/api/metrics/query_range?q=${q}&start=${start}&end=${end}&step=60`, 'team-b');
    assert.equal(other.status, 200, other.text);
    assert.equal((JSON.parse(other.text) as { series?: unknown }).series, undefined);
    assert.equal((await get(`/api/metrics/query_range?q=${q}&start=${start}&end=${end}`)).status, 401);
    assert.deepEqual(await get(`/api/metrics/query_range?q=${encodeURIComponent('{}')}&start=${start}&end=${end}`, 'team-a'), { status: 400, text: 'not a metrics query' });
  });
});
