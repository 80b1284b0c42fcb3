import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ApiServer } from '../../../backend/api/api-server.ts';
import { tempoRoutes } from '../../../backend/api/tempo-routes.ts';
import type { FoundTrace, QuerierLookup } from '../../../backend/api/trace-lookup.ts';
import type { TraceByIdOptions } from '../../../backend/querier/querier.ts';
import type { TimeRange } from '../../../backend/querier/trace-source.ts';
import { readTraceByIdResponse } from '../../../backend/querier/trace-by-id-response-reader.ts';
import { encodeTrace, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

const logger = pino({ level: 'silent' });
const trace = encodeTrace([{ service: 'api', scopes: [{ name: 'http', spans: [{ traceId: TRACE_ID, spanId: '0000000000000001', name: 'root' }] }] }]);
const NOT_FOUND_ID = 'ab'.repeat(16);

interface Call { tenant: string; traceId: string; range?: TimeRange; options?: TraceByIdOptions }

/** Answers a partial trace for TRACE_ID, nothing for any other ID; records every call. */
function recordingLookup(calls: Call[]): QuerierLookup {
  return {
    traceById: async (tenant, traceId, range, options): Promise<FoundTrace | undefined> => {
      calls.push({ tenant, traceId: Buffer.from(traceId).toString('hex'), range, options });
      if (Buffer.from(traceId).toString('hex') !== TRACE_ID) return undefined;
      return { trace, spanCount: 1, inspectedBytes: trace.byteLength, status: 'partial', message: '1 of 2 trace sources failed' };
    },
  };
}

async function startApi(options: { multitenancy: boolean; withQuerier: boolean }): Promise<{ url: string; server: ApiServer; calls: Call[] }> {
  const calls: Call[] = [];
  const lookup = recordingLookup(calls);
  const metrics = new Registry();
  const server = new ApiServer({
    listenAddress: '127.0.0.1',
    port: 0,
    routes: tempoRoutes({
      lookup, ...(options.withQuerier ? { querier: lookup } : {}), multitenancy: options.multitenancy,
      isReady: () => true, build: { version: '0.1.0', revision: 'x', goVersion: 'node' }, metrics,
    }),
    logger,
    metrics,
  });
  await server.start();
  return { url: `http://127.0.0.1:${server.address().port}`, server, calls };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

describe('GET /querier/api/traces/<id>', () => {
  const servers: ApiServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  async function api(multitenancy = true, withQuerier = true): Promise<{ url: string; calls: Call[] }> {
    const started = await startApi({ multitenancy, withQuerier });
    servers.push(started.server);
    return started;
  }

  it('passes tenant, mode, canonical block ID range and time range, and answers a protobuf TraceByIDResponse keeping PARTIAL', async () => {
    const { url, calls } = await api();
    const res = await get(`${url}/querier/api/traces/${TRACE_ID}?mode=blocks&blockStart=80000000000000000000000000000000` +
      '&blockEnd=FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF&start=10&end=20', { accept: 'application/protobuf', 'x-scope-orgid': 'team-a' });
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/protobuf');
    const answer = readTraceByIdResponse(res.body);
    assert.equal(answer.partial, true);
    assert.equal(answer.message, '1 of 2 trace sources failed');
    assert.deepEqual(summarize(answer.trace), ['api/http: 0000000000000001 root']);
    assert.deepEqual(calls, [{
      tenant: 'team-a', traceId: TRACE_ID, range: { start: 10, end: 20 },
      options: { mode: 'blocks', blockIds: { start: '80000000-0000-0000-0000-000000000000', end: 'ffffffff-ffff-ffff-ffff-ffffffffffff' } },
    }]);
  });

  it('defaults to mode all over every block, fills a missing block bound, and answers JSON unless protobuf is asked', async () => {
    const { url, calls } = await api(false);
    const res = await get(`${url}/querier/api/traces/${TRACE_ID}`);
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/json');
    assert.equal(JSON.parse(res.body.toString()).status, 'PARTIAL');
    await get(`${url}/querier/api/traces/${TRACE_ID}?mode=ingesters&blockEnd=7fffffff-ffff-ffff-ffff-ffffffffffff`);
    assert.deepEqual(calls.map((c) => c.options), [
      { mode: 'all', blockIds: undefined },
      { mode: 'ingesters', blockIds: { start: '00000000-0000-0000-0000-000000000000', end: '7fffffff-ffff-ffff-ffff-ffffffffffff' } },
    ]);
    assert.equal(calls[0]!.tenant, 'single-tenant');
  });

  it('answers 404 with an empty body when the trace is not found', async () => {
    const { url } = await api(false);
    const res = await get(`${url}/querier/api/traces/${NOT_FOUND_ID}?mode=blocks`, { accept: 'application/protobuf' });
    assert.equal(res.status, 404);
    assert.equal(res.body.byteLength, 0);
  });

  it('answers 400 for a bad mode, block ID, block range or trace ID, and 401 without a tenant when multitenant', async () => {
    const { url, calls } = await api();
    const tenant = { 'x-scope-orgid': 'team-a' };
    const cases: [string, RegExp][] = [
      [`${TRACE_ID}?mode=live`, /^invalid mode "live": expected one of all, ingesters, blocks$/],
      [`${TRACE_ID}?mode=blocks&blockStart=nope`, /^invalid blockStart: "nope" is not a UUID$/],
      [`${TRACE_ID}?blockStart=ffffffff-ffff-ffff-ffff-ffffffffffff&blockEnd=00000000-0000-0000-0000-000000000000`, /must not be after blockEnd/],
      ['xyz', /^trace IDs can only contain hex characters/],
      [`${TRACE_ID}?start=20&end=10`, /start must be before end/],
    ];
    for (const [path, message] of cases) {
      const res = await get(`${url}/querier/api/traces/${path}`, tenant);
      assert.equal(res.status, 400, path);
      assert.match(res.body.toString(), message);
    }
    assert.equal((await get(`${url}/querier/api/traces/${TRACE_ID}`)).status, 401);
    assert.equal(calls.length, 0);
  });

  it('is not served by a process running no querier', async () => {
    const { url } = await api(false, false);
    const res = await get(`${url}/querier/api/traces/${TRACE_ID}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.toString(), '404 page not found');
  });
});
