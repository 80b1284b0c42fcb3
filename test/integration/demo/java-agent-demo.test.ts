import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { processAlive } from '../../../scripts/services/process-alive.ts';
import { fetchSpans } from '../tempo-client.ts';
import { makeTempDir, removeDir } from '../tracelake-process.ts';
import type { NormSpan, Value } from '../trace-model.ts';
import { DemoRun, allPorts, listening, pickPorts, type DemoPorts } from './demo-run.ts';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const OK_SERVICES = ['checkout', 'inventory', 'notification', 'pricing', 'shipping'];
// caller → callee: every HTTP hop of a good checkout, two of them Java → Node or Node → Node.
const HOPS = ['checkout→inventory', 'checkout→pricing', 'checkout→shipping', 'shipping→notification'];

const text = (v: Value | undefined): string | undefined => (v !== undefined && 'string' in v ? v.string : undefined);
const int = (v: Value | undefined): number | undefined => (v !== undefined && 'int' in v ? Number(v.int) : undefined);
const service = (s: NormSpan): string => text(s.resource['service.name']) ?? '';

function serverSpan(spans: NormSpan[], name: string): NormSpan {
  const span = spans.find((s) => s.kind === SERVER && service(s) === name);
  assert.ok(span !== undefined, `no server span of ${name}`);
  return span;
}

/** The `caller→callee` of every server span whose parent is in another process. */
function hops(spans: NormSpan[]): string[] {
  const out: string[] = [];
  for (const server of spans.filter((s) => s.kind === SERVER && s.parentSpanId !== '')) {
    const client = spans.find((s) => s.spanId === server.parentSpanId);
    assert.ok(client !== undefined, `the parent of ${service(server)}'s ${server.name} is missing`);
    assert.equal(client.kind, CLIENT, `${service(server)}'s server span has a parent that is not a client span`);
    assert.equal(int(client.attributes['server.port']), int(server.attributes['server.port']), 'client called another port');
    out.push(`${service(client)}→${service(server)}`);
  }
  return out.sort();
}

/** Spans the OTLP receiver accepted over `transport`, from a Prometheus text page. */
function acceptedSpans(metrics: string, transport: 'grpc' | 'http'): number {
  const line = metrics.split('\n').find((l) => l.startsWith('tracelake_receiver_accepted_spans_total{') && l.includes(`transport="${transport}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The whole demo, run once per mode. `env` adds settings (a topic and prefix of its own for --cluster);
 * `receiverMetrics` is the port offset (from BASE_PORT) of the /metrics page of whoever receives OTLP.
 */
function demoSuite(mode: string, args: string[], options: { env: () => Record<string, string>; receiverMetrics: number }): void {
  describe(`examples/java-agent/demo.sh ${mode}`, function () {
    this.timeout(240_000);
    let ports: DemoPorts;
    let dir: string;
    let demo: DemoRun;
    const traces = new Map<string, NormSpan[]>();
    const api = { apiUrl: (path: string) => `http://127.0.0.1:${ports.base}${path}` };

    before(async () => {
      ports = await pickPorts();
      dir = await makeTempDir('tracelake-demo-');
      demo = new DemoRun(args, {
        ...options.env(), BASE_PORT: String(ports.base), OTLP_GRPC_PORT: String(ports.grpc), OTLP_HTTP_PORT: String(ports.http),
        SERVICES_PORT: String(ports.services), DEMO_DATA: dir,
      });
      await demo.untilTraces(180_000);
      for (const t of demo.traces) traces.set(t.id, await fetchSpans(api, t.id, 'v2', 'json'));
    });

    after(async () => {
      if (demo?.child.exitCode === null) await demo.interrupt(60_000);
      if (dir !== undefined) await removeDir(dir);
    });

    const byOutcome = (outcome: 'ok' | 'error'): NormSpan[][] =>
      demo.traces.filter((t) => t.outcome === outcome).map((t) => traces.get(t.id)!);

    it('prints the traces of three good checkouts and one failed checkout', () => {
      assert.deepEqual(demo.traces.map((t) => t.outcome).sort(), ['error', 'ok', 'ok', 'ok'], demo.output);
    });

    it('answers one trace per good checkout that spans the Java and Node services', () => {
      for (const spans of byOutcome('ok')) {
        assert.deepEqual([...new Set(spans.map(service))].sort(), OK_SERVICES);
        assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
      }
    });

    it('makes each client span the parent of the server span it called, across processes', () => {
      for (const spans of byOutcome('ok')) assert.deepEqual(hops(spans), HOPS);
      for (const spans of byOutcome('error')) assert.deepEqual(hops(spans), ['checkout→inventory', 'checkout→pricing']);
    });

    it('carries the HTTP semantic-convention attributes the Java agent writes', () => {
      const spans = byOutcome('ok')[0]!;
      const checkout = serverSpan(spans, 'checkout');
      assert.equal(checkout.parentSpanId, '');
      assert.equal(checkout.name, 'GET /checkout');
      assert.equal(checkout.scope.name, 'io.opentelemetry.java-http-server');
      assert.equal(text(checkout.attributes['http.request.method']), 'GET');
      assert.equal(text(checkout.attributes['url.path']), '/checkout');
      assert.equal(text(checkout.attributes['http.route']), '/checkout');
      assert.equal(int(checkout.attributes['http.response.status_code']), 200);
      assert.equal(text(checkout.attributes['server.address']), '127.0.0.1');
      assert.equal(int(checkout.attributes['server.port']), ports.services);
      assert.match(text(checkout.attributes['user_agent.original']) ?? '', /^tracelake-demo\//);
      const toPricing = spans.find((s) => s.kind === CLIENT && int(s.attributes['server.port']) === ports.services + 1)!;
      assert.equal(toPricing.scope.name, 'io.opentelemetry.java-http-client');
      assert.equal(toPricing.name, 'GET');
      assert.match(text(toPricing.attributes['url.full']) ?? '', new RegExp(`^http://127\\.0\\.0\\.1:${ports.services + 1}/price\\?sku=sku-42&qty=\\d$`));
      assert.equal(int(toPricing.attributes['http.response.status_code']), 200);
      const shipping = serverSpan(spans, 'shipping');
      assert.equal(shipping.name, 'GET /ship');
      assert.equal(int(shipping.attributes['http.response.status_code']), 200);
    });

    it('marks the failed checkout as an error on checkout, its call to inventory and inventory only', () => {
      const [spans] = byOutcome('error');
      const errors = spans!.filter((s) => s.status.code === ERROR)
        .map((s) => `${service(s)} ${s.kind === SERVER ? 'server' : 'client'} ${int(s.attributes['http.response.status_code'])}`);
      assert.deepEqual(errors.sort(), ['checkout client 500', 'checkout server 502', 'inventory server 500']);
      assert.equal(text(serverSpan(spans!, 'checkout').attributes['error.type']), '502');
    });

    it('finds every trace with a TraceQL search on the checkout service', async () => {
      const res = await fetch(demo.searchUrl.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${ports.base}`) + '&limit=50');
      assert.equal(res.status, 200);
      const body = (await res.json()) as { traces: Array<{ traceID: string; rootServiceName: string; rootTraceName: string }> };
      for (const t of demo.traces) {
        const hit = body.traces.find((r) => r.traceID.padStart(32, '0') === t.id);
        assert.ok(hit !== undefined, `search did not find ${t.id}`);
        assert.equal(hit.rootServiceName, 'checkout');
        assert.equal(hit.rootTraceName, 'GET /checkout');
      }
    });

    it('takes spans over both OTLP/HTTP (checkout) and OTLP/gRPC (the others)', async () => {
      const res = await fetch(`http://127.0.0.1:${ports.base + options.receiverMetrics}/metrics`);
      const metrics = await res.text();
      assert.ok(acceptedSpans(metrics, 'http') > 0, 'no span over OTLP/HTTP');
      assert.ok(acceptedSpans(metrics, 'grpc') > 0, 'no span over OTLP/gRPC');
    });

    it('stops every process it started on Ctrl-C and frees their ports', async () => {
      const code = await demo.interrupt(90_000);
      assert.equal(code, 130, demo.output);
      assert.deepEqual(demo.stopped.map((s) => s.pid).sort(), demo.started.map((s) => s.pid).sort());
      for (const s of demo.started) assert.equal(processAlive(s.pid), false, `${s.name} (pid ${s.pid}) still runs`);
      const open = (await Promise.all(allPorts(ports).map(async (p) => ((await listening(p)) ? p : 0)))).filter((p) => p !== 0);
      assert.deepEqual(open, []);
    });
  });
}

demoSuite('(embedded)', [], { env: () => ({}), receiverMetrics: 0 });
demoSuite('--cluster', ['--cluster'], {
  env: () => {
    const id = randomUUID().slice(0, 8);
    return { KAFKA_TOPIC: `demo-${id}`, S3_PREFIX: `demo-${id}` };
  },
  receiverMetrics: 32, // the gateway's, as demo.sh sets GATEWAY_METRICS
});
