import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiServer } from '../../../backend/api/api-server.ts';
import { QueryFrontend, type QueryFrontendOptions } from '../../../backend/frontend/query-frontend.ts';
import type { TraceSource } from '../../../backend/querier/trace-source.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { freePort } from '../../support/free-port.ts';
import { summarize, TRACE_ID } from '../../support/otlp-traces.ts';
import { logger, part, Seen, startTestQuerier, type FakeBlock } from './test-queriers.ts';

const id = Buffer.from(TRACE_ID, 'hex');
const root = part('0000000000000001', 'root');

/** Spread over the ID space, so that 8 shards put them in different jobs; one holds the root again. */
const BLOCKS: FakeBlock[] = [
  { blockID: '00000000-0000-0000-0000-000000000000', part: part('0000000000000002', 'a') },
  { blockID: '3a1f0c2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', part: part('0000000000000003', 'b') },
  { blockID: '9c8b7a69-5847-4362-9150-f1e2d3c4b5a6', part: root },
  { blockID: 'ffffffff-ffff-ffff-ffff-ffffffffffff', part: part('0000000000000004', 'c') },
];

const WHOLE = ['api/http: 0000000000000001 root, 0000000000000002 a, 0000000000000003 b, 0000000000000004 c'];

const liveRoot: TraceSource = { findTraceById: async () => [root] };
const nothing: TraceSource = { findTraceById: async () => [] };
const down: TraceSource = { findTraceById: async () => { throw new Error('ingester down'); } };

describe('QueryFrontend', () => {
  const servers: ApiServer[] = [];
  const frontends: QueryFrontend[] = [];

  afterEach(async () => {
    for (const f of frontends.splice(0)) f.stop();
    for (const s of servers.splice(0)) await s.stop();
  });

  async function queriers(count: number, options: { live?: TraceSource[]; blocks?: FakeBlock[]; delayMs?: number; seen?: Seen; multitenancy?: boolean } = {}): Promise<{ addresses: string[]; seen: Seen }> {
    const seen = options.seen ?? new Seen();
    const addresses: string[] = [];
    for (let index = 0; index < count; index++) {
      const { address, server } = await startTestQuerier({
        index, live: options.live ?? [liveRoot], blocks: options.blocks ?? BLOCKS, seen, delayMs: options.delayMs,
        multitenancy: options.multitenancy,
      });
      servers.push(server);
      addresses.push(address);
    }
    return { addresses, seen };
  }

  function frontend(querierAddresses: string[], options: Partial<QueryFrontendOptions> = {}): QueryFrontend {
    const f = new QueryFrontend({ querierAddresses, queryShards: 8, maxConcurrentJobs: 16, querierTimeoutMs: 2000, logger, ...options });
    frontends.push(f);
    return f;
  }

  it('finds the trace whole from the ingesters job and every block shard, each block read once, duplicates dropped', async () => {
    const { addresses, seen } = await queriers(2);
    const result = await frontend(addresses).traceById('single-tenant', id);
    assert.ok(result !== undefined);
    assert.equal(result.status, 'complete');
    assert.equal(result.spanCount, 4);
    assert.deepEqual(summarize(result.trace), WHOLE);
    assert.deepEqual([...seen.blockReads.values()], [1, 1, 1, 1]);
    assert.equal(seen.calls.filter((c) => c.mode === 'ingesters').length, 1);
    const shards = seen.calls.filter((c) => c.mode === 'blocks').map((c) => c.shard);
    assert.equal(shards.length, 8);
    assert.equal(new Set(shards.map((s) => s?.start)).size, 8, 'eight different shards');
    assert.deepEqual(new Set(seen.calls.map((c) => c.querier)), new Set([0, 1]), 'round robin over both queriers');
  });

  it('passes the tenant and the time range to every job', async () => {
    const { addresses, seen } = await queriers(1, { multitenancy: true });
    await frontend(addresses, { queryShards: 2 }).traceById('team-a', id, { start: 100, end: 200 });
    assert.equal(seen.calls.length, 3);
    for (const call of seen.calls) {
      assert.equal(call.tenant, 'team-a');
      assert.deepEqual(call.range, { start: 100, end: 200 });
    }
  });

  it('returns undefined when every job answered and none found a span', async () => {
    const { addresses } = await queriers(2, { live: [nothing], blocks: [] });
    assert.equal(await frontend(addresses).traceById('single-tenant', id), undefined);
  });

  it('retries each job on another querier when one is unreachable, and answers the whole trace', async () => {
    const { addresses } = await queriers(1);
    const unreachable = `127.0.0.1:${await freePort()}`;
    const result = await frontend([unreachable, ...addresses]).traceById('single-tenant', id);
    assert.equal(result?.status, 'complete');
    assert.deepEqual(summarize(result.trace), WHOLE);
  });

  it('retries a job that times out on a slow querier on another one', async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const { addresses } = await queriers(1);
      const slowAddress = `127.0.0.1:${(slow.address() as AddressInfo).port}`;
      const result = await frontend([slowAddress, ...addresses], { querierTimeoutMs: 200, queryShards: 2 }).traceById('single-tenant', id);
      assert.equal(result?.status, 'complete');
      assert.deepEqual(summarize(result.trace), WHOLE);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('answers PARTIAL with the other shards\' spans when a block shard fails on every querier', async () => {
    const blocks = [...BLOCKS, { blockID: 'c0000000-0000-4000-8000-000000000000' }];
    const { addresses } = await queriers(2, { blocks });
    const result = await frontend(addresses).traceById('single-tenant', id);
    assert.equal(result?.status, 'partial');
    assert.equal(result.message, '1 of 9 query jobs failed, a partial trace is returned');
    assert.deepEqual(summarize(result.trace), WHOLE);
  });

  it('keeps a querier\'s PARTIAL answer as partial without asking another querier', async () => {
    const { addresses, seen } = await queriers(2, { live: [liveRoot, down] });
    const result = await frontend(addresses).traceById('single-tenant', id);
    assert.equal(result?.status, 'partial');
    assert.match(result.message ?? '', /^1 of 9 query jobs failed/);
    assert.deepEqual(summarize(result.trace), WHOLE);
    assert.equal(seen.calls.filter((c) => c.mode === 'ingesters').length, 2, 'one ingesters job: its two live sources');
  });

  it('throws a RetryableError when every querier is unreachable', async () => {
    const addresses = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    await assert.rejects(frontend(addresses).traceById('single-tenant', id),
      (err: unknown) => err instanceof RetryableError && err.message === 'every query job failed');
  });

  it('has at most max_concurrent_jobs jobs in flight at once, over concurrent requests', async () => {
    const { addresses, seen } = await queriers(2, { delayMs: 20 });
    const f = frontend(addresses, { maxConcurrentJobs: 3 });
    const results = await Promise.all([f.traceById('single-tenant', id), f.traceById('single-tenant', id)]);
    for (const r of results) assert.deepEqual(summarize(r!.trace), WHOLE);
    assert.equal(seen.calls.length, 18);
    assert.equal(seen.peak, 3);
  });
});
