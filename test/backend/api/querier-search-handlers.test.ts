import assert from 'node:assert/strict';
import { querierSearchRoutes } from '../../../backend/api/querier-search-handlers.ts';
import { requestTenant } from '../../../backend/api/request-tenant.ts';
import type { ApiRequest, Handler } from '../../../backend/api/router.ts';
import type { SearchJobService, SearchJobSpec } from '../../../backend/search/search-job-service.ts';
import type { SearchRequest } from '../../../backend/search/search-request.ts';
import { BadRequestError } from '../../../pipeline/errors.ts';

const req = (query: string): ApiRequest => ({ params: {}, query: new URLSearchParams(query), headers: { 'x-scope-orgid': 'team-a' }, signal: new AbortController().signal });

describe('querierSearchRoutes', () => {
  const asked: { tenant: string; spec?: SearchJobSpec; request?: SearchRequest; range?: unknown }[] = [];
  const jobs: SearchJobService = {
    async searchBlockRefs(tenant, range) {
      asked.push({ tenant, range });
      return [{ blockID: '00000000-0000-0000-0000-000000000001', endTime: '2026-01-01T00:00:00Z', size: 5 }];
    },
    async runSearchJob(tenant, spec, request) {
      asked.push({ tenant, spec, request });
      return { traces: [], inspectedTraces: 3, inspectedBytes: 7 };
    },
  };
  const routes = querierSearchRoutes({ jobs, tenantOf: requestTenant(true), timeoutMs: 1000 });
  const route = (path: string): Handler => routes.find((r) => r.path === path)!.handler;

  it('lists the tenant\'s blocks in the range', async () => {
    const res = await route('/querier/api/search/blocks')(req('start=100&end=200'));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(String(res.body)).blocks, [{ blockID: '00000000-0000-0000-0000-000000000001', endTime: '2026-01-01T00:00:00Z', size: 5 }]);
    assert.deepEqual(asked.at(-1), { tenant: 'team-a', range: { start: 100, end: 200 } });
  });

  it('runs a live job or a job of blocks named by ID (any UUID form), and answers its result', async () => {
    const search = route('/querier/api/search');
    const live = await search(req('q=%7B%7D&limit=5&mode=ingesters'));
    assert.deepEqual(JSON.parse(String(live.body)), { traces: [], inspectedTraces: 3, inspectedBytes: 7 });
    assert.deepEqual([asked.at(-1)!.spec, asked.at(-1)!.request!.limit], [{ kind: 'live' }, 5]);
    await search(req('q=%7B%7D&mode=blocks&blocks=00000000-0000-0000-0000-000000000001,AAAAAAAA00000000000000000000000B'));
    assert.deepEqual(asked.at(-1)!.spec, {
      kind: 'blocks', blockIDs: ['00000000-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-00000000000b'],
    });
  });

  it('answers 400 for a missing or unknown mode, a bad block ID and bad TraceQL', async () => {
    const search = route('/querier/api/search');
    await assert.rejects(async () => search(req('q=%7B%7D')), (err: unknown) => err instanceof BadRequestError && /invalid mode ""/.test(err.message));
    await assert.rejects(async () => search(req('q=%7B%7D&mode=all')), BadRequestError);
    await assert.rejects(async () => search(req('q=%7B%7D&mode=blocks&blocks=nope')), /invalid blocks: "nope" is not a UUID/);
    await assert.rejects(async () => search(req('q=%7B&mode=ingesters')), /invalid TraceQL query/);
  });
});
