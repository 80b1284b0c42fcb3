import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardedSearchHandler } from '../../../backend/api/forwarded-search-handler.ts';
import { requestTenant } from '../../../backend/api/request-tenant.ts';
import type { ApiRequest } from '../../../backend/api/router.ts';
import { BadRequestError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import { freePort } from '../../support/free-port.ts';

interface Seen { readonly url: string; readonly tenant: string | undefined }

/** A querier stub answering `status` and recording what it was asked. */
async function stub(status: number, seen: Seen[]): Promise<{ server: Server; address: string }> {
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', tenant: req.headers['x-scope-orgid'] as string | undefined });
    res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/plain' });
    res.end(status === 200 ? `{"metrics":{"totalJobs":${seen.length}}}` : 'querier says no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const req = (query: string, headers: Record<string, string> = { 'x-scope-orgid': 'team-a' }): ApiRequest =>
  ({ params: {}, query: new URLSearchParams(query), headers });

describe('forwardedSearchHandler', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  async function querier(status: number, seen: Seen[]): Promise<string> {
    const { server, address } = await stub(status, seen);
    servers.push(server);
    return address;
  }

  it('forwards the query and tenant to the queriers round robin', async () => {
    const a: Seen[] = [];
    const b: Seen[] = [];
    const handler = forwardedSearchHandler({ querierAddresses: [await querier(200, a), await querier(200, b)], timeoutMs: 2000, tenantOf: requestTenant(true) });
    const first = await handler(req('q=%7B+%7D&limit=5'));
    await handler(req('q=%7B%7D'));
    assert.equal(first.status, 200);
    assert.equal(first.body, '{"metrics":{"totalJobs":1}}');
    assert.deepEqual(a, [{ url: '/api/search?q=%7B+%7D&limit=5', tenant: 'team-a' }]);
    assert.equal(b.length, 1);
  });

  it('retries a 5xx or unreachable querier on the next one, and passes a 4xx through', async () => {
    const seen: Seen[] = [];
    const down = `127.0.0.1:${await freePort()}`;
    const handler = forwardedSearchHandler({ querierAddresses: [down, await querier(503, seen), await querier(200, seen)], timeoutMs: 2000, tenantOf: requestTenant(false) });
    const res = await handler(req(''));
    assert.equal(res.status, 200);
    assert.equal(seen.length, 2);
    const refusing = forwardedSearchHandler({ querierAddresses: [await querier(400, [])], timeoutMs: 2000, tenantOf: requestTenant(false) });
    const bad = await refusing(req(''));
    assert.deepEqual([bad.status, bad.body], [400, 'querier says no']);
  });

  it('fails with a RetryableError when every querier fails', async () => {
    const handler = forwardedSearchHandler({ querierAddresses: [await querier(500, [])], timeoutMs: 2000, tenantOf: requestTenant(false) });
    await assert.rejects(async () => handler(req('')), RetryableError);
  });

  it('checks the tenant and the parameters before forwarding', async () => {
    const seen: Seen[] = [];
    const handler = forwardedSearchHandler({ querierAddresses: [await querier(200, seen)], timeoutMs: 2000, tenantOf: requestTenant(true) });
    await assert.rejects(async () => handler(req('', {})), UnauthorizedError);
    await assert.rejects(async () => handler(req('q=%7B')), BadRequestError);
    assert.equal(seen.length, 0);
  });
});
