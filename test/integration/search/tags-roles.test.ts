import assert from 'node:assert/strict';
import type { RoleProcess } from '../roles/role-process.ts';
import { waitFor } from '../tempo-client.ts';
import { frontendOverBlocks, type FrontendOverBlocks } from './frontend-over-blocks.ts';
import { generateCorpus } from './search-corpus.ts';

describe('tag routes through a query-frontend and a querier (real processes)', function () {
  this.timeout(120_000);
  const corpus = generateCorpus({ traces: 40, seed: 4, nowMs: Date.now() });
  const spans = corpus.flat();
  let cluster: FrontendOverBlocks | undefined;
  let frontend: RoleProcess;
  const tenantA = { 'x-scope-orgid': 'team-a' };

  before(async function () {
    cluster = await frontendOverBlocks(spans, 'team-a');
    frontend = cluster.frontend;
  });

  after(async function () {
    await cluster?.close();
  });

  it('answers names and typed values from the querier\'s blocks for the tenant', async function () {
    const services = [...new Set(spans.map((s) => s.service))].sort();
    const url = frontend.apiUrl(`/api/v2/search/tag/${encodeURIComponent('resource.service%2Ename')}/values`);
    const actual = await waitFor('the querier to list the blocks', async () => {
      const res = await fetch(url, { headers: tenantA });
      assert.equal(res.status, 200);
      const body = await res.json() as { tagValues: { type: string; value: string }[] };
      return body.tagValues.length === services.length ? body.tagValues : undefined;
    });
    assert.deepEqual(actual, services.map((value) => ({ type: 'string', value })));
    const names = await fetch(frontend.apiUrl('/api/v2/search/tags?scope=span'), { headers: tenantA });
    const body = await names.json() as { scopes: { name: string; tags: string[] }[] };
    assert.deepEqual(body.scopes, [{ name: 'span', tags: [...new Set(spans.flatMap((s) => Object.keys(s.attributes)))].sort() }]);
    const v1 = await fetch(frontend.apiUrl('/api/search/tag/service.name/values'), { headers: tenantA });
    assert.deepEqual((await v1.json() as { tagValues: string[] }).tagValues, services);
    const v1Names = await fetch(frontend.apiUrl('/api/search/tags'), { headers: tenantA });
    assert.ok((await v1Names.json() as { tagNames: string[] }).tagNames.includes('service.name'));
    assert.match(frontend.output, /"modules":\["query-frontend","api"\]/, 'the frontend reads no blocks itself');
  });

  it('keeps tenants apart, answers 401 without a tenant and 400 for bad parameters at the frontend', async function () {
    const other = await fetch(frontend.apiUrl('/api/v2/search/tag/name/values'), { headers: { 'x-scope-orgid': 'team-b' } });
    assert.equal(other.status, 200);
    assert.deepEqual((await other.json() as { tagValues: unknown[] }).tagValues, []);
    assert.equal((await fetch(frontend.apiUrl('/api/search/tags'))).status, 401);
    assert.equal((await fetch(frontend.apiUrl('/api/v2/search/tags'), { headers: { 'x-scope-orgid': 'a/b' } })).status, 400);
    assert.equal((await fetch(frontend.apiUrl('/api/v2/search/tags?scope=bogus'), { headers: tenantA })).status, 400);
    const bad = await fetch(frontend.apiUrl('/api/v2/search/tag/app.user.id/values'), { headers: tenantA });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /^tag name is not valid intrinsic or scoped attribute/);
  });
});
