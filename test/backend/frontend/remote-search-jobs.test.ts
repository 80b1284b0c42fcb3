import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { QuerierPool } from '../../../backend/frontend/querier-pool.ts';
import { RemoteSearchJobs } from '../../../backend/frontend/remote-search-jobs.ts';
import type { BlockRef } from '../../../backend/search/search-job.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';
import { BadRequestError, RetryableError } from '../../../pipeline/errors.ts';
import { freePort } from '../../support/free-port.ts';

interface Seen { readonly path: string; readonly params: Record<string, string>; readonly tenant: string | undefined }

const logger = pino({ level: 'silent' });
const BLOCK: BlockRef = { blockID: '00000000-0000-0000-0000-000000000001', endTime: '2026-01-01T00:00:00.000Z', size: 9 };

describe('RemoteSearchJobs', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  /** A querier stub answering `status` (and a fixed body) and recording what it was asked. */
  async function querier(status: number, seen: Seen[]): Promise<string> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      seen.push({ path: url.pathname, params: Object.fromEntries(url.searchParams), tenant: req.headers['x-scope-orgid'] as string | undefined });
      const body = url.pathname.endsWith('/blocks') ? { blocks: [BLOCK] } : { traces: [], inspectedTraces: 4, inspectedBytes: 40 };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify(body) : 'querier says no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const jobsOver = (addresses: string[]) =>
    new RemoteSearchJobs({ pool: new QuerierPool({ addresses, timeoutMs: 2000, signal: new AbortController().signal, logger }), timeoutMs: 2000 });
  const request = parseSearchRequest(new URLSearchParams({ q: '{ status = error }', limit: '7', spss: '2', start: '100', end: '200' }));
  const signal = new AbortController().signal;

  it('asks a querier for the blocks and sends each job with the search, its mode and block IDs, for the tenant', async () => {
    const seen: Seen[] = [];
    const remote = jobsOver([await querier(200, seen)]);
    assert.deepEqual(await remote.blocks('team-a', request.range, signal), [BLOCK]);
    const live = await remote.run('team-a', { kind: 'live', endSeconds: Infinity }, request, signal);
    await remote.run('single-tenant', { kind: 'blocks', blocks: [BLOCK, { ...BLOCK, blockID: '00000000-0000-0000-0000-000000000002' }], bytes: 18, endSeconds: 1 }, request, signal);
    assert.deepEqual(live, { traces: [], inspectedTraces: 4, inspectedBytes: 40 });
    const search = { q: '{ status = error }', limit: '7', spss: '2', start: '100', end: '200' };
    assert.deepEqual(seen, [
      { path: '/querier/api/search/blocks', params: { start: '100', end: '200' }, tenant: 'team-a' },
      { path: '/querier/api/search', params: { ...search, mode: 'ingesters' }, tenant: 'team-a' },
      { path: '/querier/api/search', params: { ...search, mode: 'blocks', blocks: `${BLOCK.blockID},00000000-0000-0000-0000-000000000002` }, tenant: undefined },
    ]);
  });

  it('retries a job on the next querier when one is down or answers 5xx, and not a 400', async () => {
    const seen: Seen[] = [];
    const remote = jobsOver([`127.0.0.1:${await freePort()}`, await querier(503, seen), await querier(200, seen)]);
    const result = await remote.run('team-a', { kind: 'live', endSeconds: Infinity }, request, signal);
    assert.equal(result.inspectedTraces, 4);
    assert.equal(seen.length, 2);
    const refusing = jobsOver([await querier(400, seen), await querier(200, seen)]);
    await assert.rejects(refusing.run('team-a', { kind: 'live', endSeconds: Infinity }, request, signal),
      (err: unknown) => err instanceof BadRequestError && err.message === 'querier says no');
    await assert.rejects(jobsOver([await querier(500, [])]).run('team-a', { kind: 'live', endSeconds: Infinity }, request, signal), RetryableError);
  });

  it('stops retrying when the search is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(jobsOver([await querier(200, [])]).run('team-a', { kind: 'live', endSeconds: Infinity }, request, controller.signal),
      (err: unknown) => (err as Error).name === 'AbortError');
  });
});
