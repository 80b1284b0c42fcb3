import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import type { TraceResultJson } from '../../../backend/search/trace-result.ts';
import { sendSpans, type SearchBody } from '../search/reference-check.ts';
import type { CorpusSpan } from '../search/search-corpus.ts';
import { decodeTrace } from '../tempo-client.ts';
import { embeddedConfig, freePorts, makeTempDir, REPO_ROOT, removeDir, TracelakeProcess } from '../tracelake-process.ts';
import { DataSourceRequests, type PickerRange } from './data-source-requests.ts';
import { DASHBOARD_PROVIDERS_FILE, readDataSources, readProvisioningFile, type ProvisionedDataSource } from './provisioned-data-source.ts';

/**
 * examples/grafana: the provisioning files parse, use only keys Grafana reads, and a real `tracelake`
 * answers every request the provisioned data source makes (tempo-api.md §2) with 200 and Tempo's shapes.
 */

const GRAFANA = join(REPO_ROOT, 'examples/grafana');
const DEFAULT_FILE = join(GRAFANA, 'provisioning/datasources/tracelake.yaml');
const TENANT_FILE = join(GRAFANA, 'variants/tracelake-multitenant.yaml');
const DASHBOARDS = join(GRAFANA, 'provisioning/dashboards');
const TENANT = 'team-a';

/** Grafana's test for a TraceQL metrics query (datasource.ts isTraceQlMetricsQuery). */
const METRICS_QUERY = /\|\s*(rate|count_over_time|avg_over_time|max_over_time|min_over_time|sum_over_time|quantile_over_time|histogram_over_time|compare)\s*\(/;

interface Panel { readonly type: string; readonly datasource: { type: string; uid: string }; readonly targets: { datasource: { uid: string }; queryType: string; query: string }[] }

function onlyDataSource(path: string, env: Record<string, string> = {}): ProvisionedDataSource {
  const all = readDataSources(path, env);
  assert.equal(all.length, 1, path);
  return all[0]!;
}

describe('examples/grafana provisioning files', function () {
  it('provision one default Tempo data source on :3200: search and node graph on, streaming off, no service map or trace to logs', function () {
    const ds = onlyDataSource(DEFAULT_FILE);
    assert.deepEqual([ds.type, ds.uid, ds.url, ds.access, ds.isDefault], ['tempo', 'tracelake', 'http://localhost:3200', 'proxy', true]);
    const j = ds.jsonData;
    assert.equal(j.search?.hide, false);
    assert.equal(j.nodeGraph?.enabled, true);
    assert.deepEqual(j.streamingEnabled, { search: false, metrics: false });
    assert.equal(j.tagLimit, 5000);
    assert.equal(j.serviceMap, undefined);
    assert.equal(j.tracesToLogsV2, undefined);
    assert.equal(j.traceQuery?.timeShiftEnabled, true);
    assert.ok(!Object.keys(j).some((k) => k.startsWith('httpHeaderName')), 'single-tenant: no X-Scope-OrgID');
  });

  it('provision the multi-tenant variant with the same settings and X-Scope-OrgID from the environment', function () {
    const plain = onlyDataSource(DEFAULT_FILE);
    const tenant = onlyDataSource(TENANT_FILE, { TRACELAKE_TENANT: TENANT });
    assert.notEqual(tenant.uid, plain.uid);
    assert.equal(tenant.isDefault, undefined);
    const { httpHeaderName1, ...rest } = tenant.jsonData;
    assert.equal(httpHeaderName1, 'X-Scope-OrgID');
    assert.deepEqual(rest, plain.jsonData);
    assert.deepEqual(tenant.secureJsonData, { httpHeaderValue1: TENANT });
    assert.equal(tenant.url, plain.url);
  });

  it('point at the port of the shipped embedded config and of the clustered query-frontend', function () {
    const port = new URL(onlyDataSource(DEFAULT_FILE).url).port;
    const embedded = parse(readFileSync(join(REPO_ROOT, 'pipelines.yaml'), 'utf8')) as { exporters: { tracelake: { server: { http_listen_port: number } } } };
    assert.equal(String(embedded.exporters.tracelake.server.http_listen_port), port);
    const cluster = parse(readFileSync(join(REPO_ROOT, 'examples/cluster/backend.yaml'), 'utf8')) as { exporters: { tracelake: { server: { http_listen_port: string } } } };
    assert.equal(cluster.exporters.tracelake.server.http_listen_port, `\${env:TRACELAKE_API_PORT:-${port}}`);
  });

  it('load the dashboard folder with a TraceQL metrics panel and a TraceQL search panel on the provisioned data source', function () {
    const providers = readProvisioningFile(join(DASHBOARDS, 'tracelake.yaml'), DASHBOARD_PROVIDERS_FILE, { GF_PATHS_PROVISIONING: '/p' });
    assert.deepEqual((providers.providers as { options: { path: string } }[]).map((p) => p.options.path), ['/p/dashboards']);
    const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, 'tracelake-traces.json'), 'utf8')) as { panels: Panel[] };
    const uid = onlyDataSource(DEFAULT_FILE).uid;
    const targets = dashboard.panels.flatMap((p) => {
      assert.deepEqual(p.datasource, { type: 'tempo', uid });
      return p.targets.map((t) => ({ panel: p.type, uid: t.datasource.uid, queryType: t.queryType, metrics: METRICS_QUERY.test(t.query) }));
    });
    assert.deepEqual(targets, [
      { panel: 'timeseries', uid, queryType: 'traceql', metrics: true },
      { panel: 'table', uid, queryType: 'traceql', metrics: false },
    ]);
  });
});

/** checkout → pricing and checkout → inventory (failing), a minute ago: what the demo's services send. */
function demoTrace(nowMs: number): CorpusSpan[] {
  const traceId = '00000000000000004f1c0ffee0ddba11';
  const start = BigInt(nowMs - 60_000) * 1_000_000n;
  const span = (spanId: string, parentSpanId: string, service: string, name: string, offsetMs: number, statusCode = 0): CorpusSpan => ({
    traceId, spanId, parentSpanId, service, name, kind: 2, startNanos: start + BigInt(offsetMs) * 1_000_000n,
    durationNanos: 5_000_000n, statusCode, attributes: { 'http.request.method': 'GET', 'http.response.status_code': statusCode === 2 ? 500 : 200 },
  });
  return [
    { ...span('00000000000000a1', '', 'checkout', 'GET /checkout', 0), durationNanos: 40_000_000n },
    span('00000000000000b2', '00000000000000a1', 'pricing', 'GET /price', 5),
    span('00000000000000c3', '00000000000000a1', 'inventory', 'GET /stock', 20, 2),
  ];
}

async function startTracelake(multitenancy: boolean): Promise<TracelakeProcess> {
  const dir = await makeTempDir('tracelake-grafana-');
  const ports = await freePorts();
  const doc = parseDocument(embeddedConfig(ports, dir, { trace_idle_period: '10m', max_block_duration: '30m' }));
  doc.setIn(['exporters', 'tracelake', 'multitenancy_enabled'], multitenancy);
  return TracelakeProcess.startWithConfig({ config: doc.toString(), dir, ports });
}

const VARIANTS = [
  { what: 'the default data source on a single-tenant tracelake', file: DEFAULT_FILE, multitenancy: false },
  { what: 'the multi-tenant variant on a multi-tenant tracelake', file: TENANT_FILE, multitenancy: true },
] as const;

for (const variant of VARIANTS) {
  describe(`Grafana's requests with ${variant.what}`, function () {
    this.timeout(60_000);
    const nowMs = Date.now();
    const range: PickerRange = { fromMs: nowMs - 3600_000, toMs: nowMs + 60_000 };
    const spans = demoTrace(nowMs);
    let proc: TracelakeProcess | undefined;
    let grafana: DataSourceRequests;

    before(async function () {
      proc = await startTracelake(variant.multitenancy);
      grafana = new DataSourceRequests(onlyDataSource(variant.file, { TRACELAKE_TENANT: TENANT }), proc);
      await sendSpans(proc.otlpHttpUrl, spans, variant.multitenancy ? { 'x-scope-orgid': TENANT } : {});
    });

    after(async function () {
      if (proc === undefined) return;
      await proc.stop('SIGKILL');
      await removeDir(proc.dir);
    });

    it('answers "Test" (echo) and the version check (buildinfo)', async function () {
      const echo = await grafana.get('/api/echo', 'application/json, text/plain, */*');
      assert.equal(echo.status, 200);
      await echo.arrayBuffer();
      const info = await grafana.json<{ version: string }>('/api/status/buildinfo');
      assert.match(info.version, /^\d+\.\d+\.\d+/);
    });

    it('answers the tag names with the tag limit: resource, span and intrinsic scopes', async function () {
      const body = await grafana.json<{ scopes: { name: string; tags: string[] }[] }>(`/api/v2/search/tags?limit=${grafana.tagLimit}&${grafana.tagRange(range)}`);
      const scope = (name: string): string[] => body.scopes.find((s) => s.name === name)?.tags ?? [];
      assert.deepEqual(scope('resource'), ['service.name']);
      assert.deepEqual(scope('span'), ['http.request.method', 'http.response.status_code']);
      for (const intrinsic of ['name', 'status', 'duration', 'kind']) assert.ok(scope('intrinsic').includes(intrinsic), intrinsic);
    });

    it('answers the Search tab\'s value pickers for service name and span name, typed string', async function () {
      // The builder's default filters; the browser encodes the tag name twice, `q` is the other filters.
      const values = async (tag: string, q: string): Promise<unknown> => (await grafana.json<{ tagValues: unknown[] }>(
        `/api/v2/search/tag/${encodeURIComponent(encodeURIComponent(tag))}/values?q=${encodeURIComponent(q)}&limit=${grafana.tagLimit}&${grafana.tagRange(range)}`,
      )).tagValues;
      const typed = (xs: string[]): unknown => xs.map((value) => ({ type: 'string', value }));
      assert.deepEqual(await values('resource.service.name', '{}'), typed(['checkout', 'inventory', 'pricing']));
      assert.deepEqual(await values('name', '{}'), typed(['GET /checkout', 'GET /price', 'GET /stock']));
      assert.deepEqual(await values('name', '{resource.service.name="inventory"}'), typed(['GET /stock']));
    });

    it('finds the trace with the builder\'s query, opens it by the answered ID in the shifted range, as protobuf, and not outside it', async function () {
      const q = '{resource.service.name="checkout" && name="GET /checkout"}';
      const found = await grafana.json<SearchBody>(`/api/search?q=${encodeURIComponent(q)}&limit=20&spss=3&${grafana.searchRange(range)}`);
      assert.equal(found.traces?.length, 1);
      const trace: TraceResultJson = found.traces![0]!;
      assert.deepEqual([trace.traceID, trace.rootServiceName, trace.rootTraceName], ['4f1c0ffee0ddba11', 'checkout', 'GET /checkout']);
      assert.equal(trace.durationMs, 40);
      assert.equal(trace.startTimeUnixNano, String(spans[0]!.startNanos));

      const res = await grafana.get(`/api/v2/traces/${trace.traceID}${grafana.traceQuery(range)}`, 'application/protobuf');
      assert.equal(res.status, 200);
      const body = Buffer.from(await res.arrayBuffer());
      const decoded = decodeTrace({ status: res.status, contentType: res.headers.get('content-type') ?? '', body }, 'v2', 'protobuf', 'trace by ID');
      const links = decoded.map((s) => [s.resource['service.name'], s.name, s.parentSpanId, s.status.code]);
      assert.deepEqual(links.sort((a, b) => String(a[1]).localeCompare(String(b[1]))), [
        [{ string: 'checkout' }, 'GET /checkout', '', 0],
        [{ string: 'pricing' }, 'GET /price', '00000000000000a1', 0],
        [{ string: 'inventory' }, 'GET /stock', '00000000000000a1', 2],
      ]);
      // A picked range that ends more than the shift before the trace: not found, Grafana says so (README).
      const earlier = { fromMs: range.fromMs - 3600_000, toMs: range.fromMs };
      assert.match(grafana.traceQuery(earlier), /^\?start=\d+&end=\d+$/);
      const outside = await grafana.get(`/api/v2/traces/${trace.traceID}${grafana.traceQuery(earlier)}`, 'application/protobuf');
      assert.equal(outside.status, 404);
      await outside.arrayBuffer();
    });

    it('answers the metrics panel\'s query_range with one series per service', async function () {
      const q = '{} | rate() by (resource.service.name)';
      type Body = { series?: { labels: { key: string; value: { stringValue?: string } }[]; samples: { timestampMs: string; value?: number }[] }[] };
      const body = await grafana.json<Body>(`/api/metrics/query_range?q=${encodeURIComponent(q)}&${grafana.searchRange(range)}`);
      const series = (body.series ?? []).map((s) => ({
        labels: s.labels.map((l) => `${l.key}=${l.value.stringValue}`),
        spans: s.samples.reduce((sum, x) => sum + (x.value ?? 0), 0) > 0,
      }));
      assert.deepEqual(series.sort((a, b) => a.labels[0]!.localeCompare(b.labels[0]!)), ['checkout', 'inventory', 'pricing'].map((service) => ({
        labels: [`resource.service.name=${service}`], spans: true,
      })));
    });

    if (variant.multitenancy) {
      it('needs the data source\'s X-Scope-OrgID: 401 without it, nothing for another tenant, 400 for several', async function () {
        const search = `/api/search?q=%7B%7D&${grafana.searchRange(range)}`;
        const missing = await fetch(proc!.apiUrl(search));
        assert.equal(missing.status, 401);
        await missing.arrayBuffer();
        const other = await fetch(proc!.apiUrl(search), { headers: { 'x-scope-orgid': 'team-b' } });
        assert.equal(other.status, 200);
        assert.equal(((await other.json()) as SearchBody).traces, undefined);
        const several = await fetch(proc!.apiUrl(search), { headers: { 'x-scope-orgid': `${TENANT}|team-b` } });
        assert.equal(several.status, 400, 'one tenant per request, as the README says');
        await several.arrayBuffer();
      });
    }
  });
}
