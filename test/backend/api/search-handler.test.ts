import assert from 'node:assert/strict';
import { requestTenant } from '../../../backend/api/request-tenant.ts';
import type { ApiRequest } from '../../../backend/api/router.ts';
import { searchHandler } from '../../../backend/api/search-handler.ts';
import { QueryTimeoutError } from '../../../backend/search/query-timeout-error.ts';
import type { SearchRequest } from '../../../backend/search/search-request.ts';
import type { SearchService } from '../../../backend/search/search-service.ts';
import { BadRequestError, UnauthorizedError } from '../../../pipeline/errors.ts';

const req = (query: string, headers: Record<string, string> = {}): ApiRequest => ({ params: {}, query: new URLSearchParams(query), headers, signal: new AbortController().signal });

describe('searchHandler', () => {
  const asked: [string, SearchRequest][] = [];
  const search: SearchService = {
    async search(tenant, request) {
      asked.push([tenant, request]);
      return { metrics: { inspectedBytes: '10', completedJobs: 1, totalJobs: 1 } };
    },
  };

  it('answers the search as JSON for the request\'s tenant', async () => {
    const res = await searchHandler({ search, tenantOf: requestTenant(true) })(req('q=%7B%7D&limit=7', { 'x-scope-orgid': 'team-a' }));
    assert.equal(res.status, 200);
    assert.equal(res.contentType, 'application/json');
    assert.deepEqual(JSON.parse(String(res.body)), { metrics: { inspectedBytes: '10', completedJobs: 1, totalJobs: 1 } });
    assert.deepEqual([asked.at(-1)![0], asked.at(-1)![1].limit], ['team-a', 7]);
  });

  it('uses the configured default limit only when the request gives none', async () => {
    const handler = searchHandler({ search, tenantOf: requestTenant(false), defaultLimit: 50 });
    await handler(req('q=%7B%7D'));
    assert.equal(asked.at(-1)![1].limit, 50);
    await handler(req('q=%7B%7D&limit=3'));
    assert.equal(asked.at(-1)![1].limit, 3);
  });

  it('answers a search past its timeout with Tempo\'s 504', async () => {
    const slow: SearchService = { search: async () => { throw new QueryTimeoutError(); } };
    const res = await searchHandler({ search: slow, tenantOf: requestTenant(false) })(req('q=%7B%7D'));
    assert.deepEqual([res.status, res.body], [504, 'context deadline exceeded']);
  });

  it('checks the tenant before the parameters', async () => {
    const handler = searchHandler({ search, tenantOf: requestTenant(true) });
    await assert.rejects(async () => handler(req('limit=0')), UnauthorizedError);
    await assert.rejects(async () => handler(req('limit=0', { 'x-scope-orgid': 'team-a' })), BadRequestError);
  });
});
