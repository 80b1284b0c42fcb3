import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ApiServer } from '../../../backend/api/api-server.ts';
import { tempoRoutes } from '../../../backend/api/tempo-routes.ts';
import { Querier } from '../../../backend/querier/querier.ts';
import type { TimeRange, TraceSource } from '../../../backend/querier/trace-source.ts';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../../pipeline/otlp/proto-reader.ts';
import { encodeTrace, forEachField, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

// One file past 350 lines: every case shares these fake sources and wire-shape helpers.
const logger = pino({ level: 'silent' });
const SHORT_ID = '8448eb211c80319c';
const SHORT_TRACE_ID = '00000000000000008448eb211c80319c';
const PARTIAL_ID = '11111111111111111111111111111111';
const EMPTY_PARTIAL_ID = '22222222222222222222222222222222';
const FAILING_ID = '33333333333333333333333333333333';

const root = { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', name: 'GET /cart', kind: 2,
  startUnixNano: 1_689_969_302_000_000_000n, endUnixNano: 1_689_970_000_000_000_000n,
  attributes: { 'http.route': '/cart', 'http.status_code': 200 } };
const child = { traceId: TRACE_ID, spanId: '00f067aa0ba902b8', name: 'SELECT', kind: 3 };
const liveTrace = encodeTrace([{ service: 'cart', scopes: [{ name: 'http', version: '1.0.0', spans: [root] }] }]);
const blockTrace = encodeTrace([{ service: 'cart', scopes: [{ name: 'http', version: '1.0.0', spans: [root, child] }] }]);
const shortTrace = encodeTrace([{ service: 's', scopes: [{ name: 'x', spans: [{ traceId: SHORT_TRACE_ID, spanId: '0000000000000001', name: 'short' }] }] }]);
const partialTrace = encodeTrace([{ service: 'p', scopes: [{ name: 'x', spans: [{ traceId: PARTIAL_ID, spanId: '0000000000000001', name: 'kept' }] }] }]);

function hex(id: Uint8Array): string {
  return Buffer.from(id).toString('hex');
}

/** Live data: answers for the tenant that owns the trace. */
function liveSource(owner: string, ranges: (TimeRange | undefined)[]): TraceSource {
  return {
    findTraceById: async (tenant, traceId, range) => {
      ranges.push(range);
      if (tenant !== owner) return [];
      const id = hex(traceId);
      if (id === TRACE_ID) return [liveTrace];
      if (id === SHORT_TRACE_ID) return [shortTrace];
      if (id === PARTIAL_ID) return [partialTrace];
      if (id === FAILING_ID) throw new Error('ingester down');
      return [];
    },
  };
}

/** Blocks: fail for the partial IDs. */
function blockSource(owner: string): TraceSource {
  return {
    findTraceById: async (tenant, traceId) => {
      const id = hex(traceId);
      if (id === PARTIAL_ID || id === EMPTY_PARTIAL_ID || id === FAILING_ID) throw new Error('bucket unreachable');
      return tenant === owner && id === TRACE_ID ? [blockTrace] : [];
    },
  };
}

interface TestApi {
  url: string;
  server: ApiServer;
  ranges: (TimeRange | undefined)[];
  ready: { value: boolean };
  metrics: Registry;
}

async function startApi(multitenancy: boolean, owner: string): Promise<TestApi> {
  const ranges: (TimeRange | undefined)[] = [];
  const ready = { value: true };
  const metrics = new Registry();
  const querier = new Querier({ live: [liveSource(owner, ranges)], blocks: () => blockSource(owner), logger });
  const server = new ApiServer({
    listenAddress: '127.0.0.1',
    port: 0,
    routes: tempoRoutes({
      lookup: querier,
      multitenancy,
      isReady: () => ready.value,
      build: { version: '0.1.0', revision: 'abc123', goVersion: 'node v22' },
      metrics,
    }),
    logger,
    metrics,
  });
  await server.start();
  return { url: `http://127.0.0.1:${server.address().port}`, server, ranges, ready, metrics };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

const PROTOBUF = { accept: 'application/protobuf' };

/** Top-level fields of a message as `field:wireType` plus the raw payloads of length-delimited ones. */
function fieldsOf(bytes: Uint8Array): { shape: string[]; payloads: Map<number, Uint8Array>; varints: Map<number, number> } {
  const shape: string[] = [];
  const payloads = new Map<number, Uint8Array>();
  const varints = new Map<number, number>();
  forEachField(bytes, (field, r, wireType) => {
    shape.push(`${field}:${wireType}`);
    if (wireType === WIRE_LEN) payloads.set(field, r.bytes());
    else if (wireType === WIRE_VARINT) varints.set(field, r.varint());
  });
  return { shape, payloads, varints };
}

/** Wire types of the first span's fields, walking TracesData → ResourceSpans → ScopeSpans → Span. */
function firstSpanShape(trace: Uint8Array): string[] {
  const rs = fieldsOf(trace).payloads.get(1)!;
  const ss = fieldsOf(rs).payloads.get(2)!;
  const span = fieldsOf(ss).payloads.get(2)!;
  return fieldsOf(span).shape;
}

describe('ApiServer with the Tempo routes', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi(false, 'single-tenant');
  });
  after(async () => {
    await api.server.stop();
  });

  describe('GET /api/v2/traces/<id>', () => {
    it('answers protobuf TraceByIDResponse with trace (1) and metrics (2) when asked for protobuf', async () => {
      const res = await get(`${api.url}/api/v2/traces/${TRACE_ID}`, PROTOBUF);
      assert.equal(res.status, 200);
      assert.equal(res.type, 'application/protobuf');
      const { shape, payloads } = fieldsOf(res.body);
      assert.deepEqual(shape, [`1:${WIRE_LEN}`, `2:${WIRE_LEN}`]);
      const trace = payloads.get(1)!;
      assert.deepEqual(summarize(trace), ['cart/http: 00f067aa0ba902b7 GET /cart, 00f067aa0ba902b8 SELECT']);
      const metrics = fieldsOf(payloads.get(2)!);
      assert.deepEqual(metrics.shape, [`1:${WIRE_VARINT}`]);
      assert.equal(metrics.varints.get(1), liveTrace.byteLength + blockTrace.byteLength);
      const spanShape = firstSpanShape(trace);
      assert.ok(spanShape.includes(`7:${WIRE_FIXED64}`) && spanShape.includes(`8:${WIRE_FIXED64}`), spanShape.join());
      assert.ok(spanShape.includes(`6:${WIRE_VARINT}`));
    });

    it('answers Tempo JSON: key names, enums as names, int64 as strings, IDs in base64', async () => {
      const res = await get(`${api.url}/api/v2/traces/${TRACE_ID}`, { accept: 'application/json, text/plain, */*' });
      assert.equal(res.status, 200);
      assert.equal(res.type, 'application/json');
      const body = JSON.parse(res.body.toString());
      assert.deepEqual(Object.keys(body), ['trace', 'metrics']);
      assert.deepEqual(body.metrics, { inspectedBytes: String(liveTrace.byteLength + blockTrace.byteLength) });
      const [rs] = body.trace.resourceSpans;
      assert.deepEqual(rs.resource, { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] });
      assert.deepEqual(rs.scopeSpans[0].scope, { name: 'http', version: '1.0.0' });
      const [span] = rs.scopeSpans[0].spans;
      assert.equal(span.traceId, Buffer.from(TRACE_ID, 'hex').toString('base64'));
      assert.equal(span.spanId, Buffer.from('00f067aa0ba902b7', 'hex').toString('base64'));
      assert.equal(span.kind, 'SPAN_KIND_SERVER');
      assert.equal(span.startTimeUnixNano, '1689969302000000000');
      assert.equal(span.endTimeUnixNano, '1689970000000000000');
      assert.deepEqual(span.attributes, [
        { key: 'http.route', value: { stringValue: '/cart' } },
        { key: 'http.status_code', value: { intValue: '200' } },
      ]);
      assert.equal(rs.scopeSpans[0].spans[1].kind, 'SPAN_KIND_CLIENT');
    });

    it('answers JSON for Accept */* and without Accept', async () => {
      const variants: Record<string, string>[] = [{ accept: '*/*' }, {}];
      for (const headers of variants) {
        const res = await get(`${api.url}/api/v2/traces/${TRACE_ID}`, headers);
        assert.equal(res.type, 'application/json');
        assert.ok(JSON.parse(res.body.toString()).trace.resourceSpans.length === 1);
      }
    });

    it('finds a trace by its short, padded or upper-case ID', async () => {
      for (const id of [SHORT_ID, SHORT_TRACE_ID, SHORT_ID.toUpperCase()]) {
        const res = await get(`${api.url}/api/v2/traces/${id}`, PROTOBUF);
        assert.equal(res.status, 200, id);
        assert.deepEqual(summarize(fieldsOf(res.body).payloads.get(1)!), ['s/x: 0000000000000001 short']);
      }
    });

    it('marks a trace PARTIAL (3) with a message (4) when a source fails', async () => {
      const res = await get(`${api.url}/api/v2/traces/${PARTIAL_ID}`, PROTOBUF);
      assert.equal(res.status, 200);
      const { shape, payloads, varints } = fieldsOf(res.body);
      assert.deepEqual(shape, [`1:${WIRE_LEN}`, `2:${WIRE_LEN}`, `3:${WIRE_VARINT}`, `4:${WIRE_LEN}`]);
      assert.equal(varints.get(3), 1);
      assert.equal(Buffer.from(payloads.get(4)!).toString(), '1 of 2 trace sources failed, a partial trace is returned');
      assert.deepEqual(summarize(payloads.get(1)!), ['p/x: 0000000000000001 kept']);

      const json = JSON.parse((await get(`${api.url}/api/v2/traces/${PARTIAL_ID}`)).body.toString());
      assert.equal(json.status, 'PARTIAL');
      assert.equal(json.message, '1 of 2 trace sources failed, a partial trace is returned');
    });

    it('keeps the trace field (1) present, empty, for a partial trace with no spans', async () => {
      const res = await get(`${api.url}/api/v2/traces/${EMPTY_PARTIAL_ID}`, PROTOBUF);
      assert.equal(res.status, 200);
      const { shape, payloads } = fieldsOf(res.body);
      assert.deepEqual(shape.slice(0, 2), [`1:${WIRE_LEN}`, `2:${WIRE_LEN}`]);
      assert.equal(payloads.get(1)!.byteLength, 0);
      assert.deepEqual(payloads.get(2)!.byteLength, 0); // inspectedBytes 0 is left out
      const json = JSON.parse((await get(`${api.url}/api/v2/traces/${EMPTY_PARTIAL_ID}`)).body.toString());
      assert.deepEqual(json.trace, {});
      assert.deepEqual(json.metrics, {});
    });

    it('answers 404 with an empty body for an unknown trace', async () => {
      const res = await get(`${api.url}/api/v2/traces/${'ab'.repeat(16)}`, PROTOBUF);
      assert.equal(res.status, 404);
      assert.equal(res.body.byteLength, 0);
    });

    it('answers 503 in plain text when every source fails', async () => {
      const res = await get(`${api.url}/api/v2/traces/${FAILING_ID}`);
      assert.equal(res.status, 503);
      assert.match(res.type, /^text\/plain/);
      assert.equal(res.body.toString(), 'every trace source failed');
    });
  });

  describe('GET /api/traces/<id>', () => {
    it('answers the bare Trace in protobuf', async () => {
      const res = await get(`${api.url}/api/traces/${TRACE_ID}`, PROTOBUF);
      assert.equal(res.status, 200);
      assert.equal(res.type, 'application/protobuf');
      assert.deepEqual(fieldsOf(res.body).shape, [`1:${WIRE_LEN}`]);
      assert.deepEqual(summarize(res.body), ['cart/http: 00f067aa0ba902b7 GET /cart, 00f067aa0ba902b8 SELECT']);
    });

    it('answers {"batches":[…]} in JSON', async () => {
      const res = await get(`${api.url}/api/traces/${TRACE_ID}`);
      const body = JSON.parse(res.body.toString());
      assert.deepEqual(Object.keys(body), ['batches']);
      assert.equal(body.batches[0].scopeSpans[0].spans[0].name, 'GET /cart');
      assert.equal(body.batches[0].scopeSpans[0].spans[0].kind, 'SPAN_KIND_SERVER');
    });

    it('answers 404 with an empty body for an unknown trace', async () => {
      const res = await get(`${api.url}/api/traces/${'ab'.repeat(16)}`, PROTOBUF);
      assert.equal(res.status, 404);
      assert.equal(res.body.byteLength, 0);
    });

    it('answers 503 for a partial trace without spans (v1 cannot say partial)', async () => {
      const res = await get(`${api.url}/api/traces/${EMPTY_PARTIAL_ID}`);
      assert.equal(res.status, 503);
    });
  });

  describe('bad requests', () => {
    const cases: [string, string][] = [
      ['/api/v2/traces/xyz', "trace IDs can only contain hex characters: invalid character 'x' at position 1"],
      ['/api/traces/xyz', "trace IDs can only contain hex characters: invalid character 'x' at position 1"],
      [`/api/v2/traces/${'a'.repeat(33)}`, "trace IDs can't be larger than 128 bits"],
      [`/api/traces/${'a'.repeat(34)}`, "trace IDs can't be larger than 128 bits"],
      ['/api/v2/traces/12%2034', "trace IDs can only contain hex characters: invalid character ' ' at position 3"],
      [`/api/v2/traces/${TRACE_ID}?start=200&end=100`, 'http parameter start must be before end. received start=200 end=100'],
      [`/api/traces/${TRACE_ID}?start=100&end=100`, 'http parameter start must be before end. received start=100 end=100'],
      [`/api/v2/traces/${TRACE_ID}?start=soon`, 'invalid start: strconv.ParseInt: parsing "soon": invalid syntax'],
    ];
    for (const [path, message] of cases) {
      it(`answers 400 "${message}" for ${path}`, async () => {
        const res = await get(`${api.url}${path}`);
        assert.equal(res.status, 400);
        assert.match(res.type, /^text\/plain/);
        assert.equal(res.body.toString(), message);
      });
    }

    it('passes a valid start/end to the sources as a time range', async () => {
      api.ranges.length = 0;
      const res = await get(`${api.url}/api/v2/traces/${TRACE_ID}?start=1689969000&end=1689971000`, PROTOBUF);
      assert.equal(res.status, 200);
      assert.deepEqual(api.ranges, [{ start: 1689969000, end: 1689971000 }]);
      api.ranges.length = 0;
      await get(`${api.url}/api/v2/traces/${TRACE_ID}`, PROTOBUF);
      assert.deepEqual(api.ranges, [undefined]);
    });

    it('answers 404 for an unknown path and for an empty trace ID', async () => {
      for (const path of ['/api/nope', '/api/traces/', '/api/v2/traces', '/']) {
        assert.equal((await get(`${api.url}${path}`)).status, 404, path);
      }
    });

    it('answers 405 to a method other than GET', async () => {
      const res = await fetch(`${api.url}/api/traces/${TRACE_ID}`, { method: 'POST', body: 'x' });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'GET');
      assert.equal((await fetch(`${api.url}/api/echo`, { method: 'DELETE' })).status, 405);
    });

    it('ignores X-Scope-OrgID when multitenancy is off', async () => {
      const res = await get(`${api.url}/api/v2/traces/${TRACE_ID}`, { 'x-scope-orgid': 'bad|tenant' });
      assert.equal(res.status, 200);
    });
  });

  describe('status endpoints', () => {
    it('answers echo', async () => {
      const res = await get(`${api.url}/api/echo`);
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'echo');
    });

    it('answers ready only while the backend is ready', async () => {
      api.ready.value = false;
      const before = await get(`${api.url}/ready`);
      api.ready.value = true;
      const after = await get(`${api.url}/ready`);
      assert.equal(before.status, 503);
      assert.equal(after.status, 200);
      assert.equal(after.body.toString(), 'ready');
    });

    it('answers build info with a semver version and Prometheus build-info keys', async () => {
      const res = await get(`${api.url}/api/status/buildinfo`);
      assert.equal(res.type, 'application/json');
      const body = JSON.parse(res.body.toString());
      assert.deepEqual(Object.keys(body), ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion']);
      assert.match(body.version, /^\d+\.\d+\.\d+/);
      assert.equal(body.revision, 'abc123');
    });

    it('answers Prometheus text from the shared registry, with request durations', async () => {
      await get(`${api.url}/api/echo`);
      const res = await get(`${api.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.type, /^text\/plain/);
      assert.match(res.body.toString(), /tracelake_request_duration_seconds_count\{route="\/api\/echo",method="GET",status_code="200"\} \d+/);
    });
  });
});

describe('ApiServer with multitenancy', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi(true, 'team-a');
  });
  after(async () => {
    await api.server.stop();
  });

  it('answers 401 "no org id" without X-Scope-OrgID', async () => {
    for (const path of [`/api/v2/traces/${TRACE_ID}`, `/api/traces/${TRACE_ID}`]) {
      const res = await get(`${api.url}${path}`);
      assert.equal(res.status, 401);
      assert.equal(res.body.toString(), 'no org id');
    }
  });

  it('answers 400 for an invalid tenant ID', async () => {
    const cases: [string, string][] = [
      ['a|b', "tenant ID 'a|b' contains unsupported character '|'"],
      ['..', "tenant ID is '.' or '..'"],
      ['x'.repeat(151), 'tenant ID is too long: max 150 characters'],
    ];
    for (const [tenant, message] of cases) {
      const res = await get(`${api.url}/api/v2/traces/${TRACE_ID}`, { 'x-scope-orgid': tenant });
      assert.equal(res.status, 400, tenant);
      assert.equal(res.body.toString(), message);
    }
  });

  it('checks the tenant before the trace ID, as Tempo', async () => {
    assert.equal((await get(`${api.url}/api/v2/traces/xyz`)).status, 401);
  });

  it('finds the trace only in its own tenant', async () => {
    assert.equal((await get(`${api.url}/api/v2/traces/${TRACE_ID}`, { 'x-scope-orgid': 'team-a' })).status, 200);
    assert.equal((await get(`${api.url}/api/v2/traces/${TRACE_ID}`, { 'x-scope-orgid': 'team-b' })).status, 404);
  });

  it('serves echo, ready and build info without a tenant', async () => {
    for (const path of ['/api/echo', '/ready', '/api/status/buildinfo', '/metrics']) {
      assert.equal((await get(`${api.url}${path}`)).status, 200, path);
    }
  });
});

describe('ApiServer lifecycle', () => {
  it('stops idempotently and refuses connections afterwards', async () => {
    const api = await startApi(false, 'single-tenant');
    assert.equal((await get(`${api.url}/api/echo`)).status, 200);
    await Promise.all([api.server.stop(), api.server.stop()]);
    await api.server.stop();
    await assert.rejects(fetch(`${api.url}/api/echo`));
  });

  it('fails to start on a port already in use', async () => {
    const first = await startApi(false, 'single-tenant');
    const port = first.server.address().port;
    const second = new ApiServer({ listenAddress: '127.0.0.1', port, routes: [], logger, metrics: new Registry() });
    await assert.rejects(second.start(), /EADDRINUSE/);
    await first.server.stop();
  });
});
