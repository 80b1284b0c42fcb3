import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { TracelakeExporterConfig } from '../../../exporters/tracelake/config.ts';
import { tracelakeExporterFactory } from '../../../exporters/tracelake/factory.ts';
import type { TracelakeExporter } from '../../../exporters/tracelake/tracelake-exporter.ts';
import type { CreateSettings } from '../../../pipeline/component.ts';
import { PermanentError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import type { TraceBatch } from '../../../pipeline/trace-batch.ts';
import { encodeTrace, forEachField, summarize, TRACE_ID } from '../../support/otlp-traces.ts';

const host = { signal: new AbortController().signal };

function settings(metrics = new Registry()): CreateSettings {
  return {
    id: 'tracelake',
    logger: pino({ level: 'silent' }),
    metrics,
    build: { version: '0.1.0', revision: 'test', goVersion: process.version },
  };
}

function batchOf(spanId: string, name: string, service = 'cart'): TraceBatch {
  const bytes = encodeTrace([{ service, scopes: [{ name: 'http', spans: [{ traceId: TRACE_ID, spanId, name, kind: 2 }] }] }]);
  return decodeTraceRequest(bytes).batch;
}

/** The trace's spans through v2 protobuf, one `service/scope: id name` each, sorted; or the status when not 200. */
async function fetchTrace(exporter: TracelakeExporter, headers: Record<string, string> = {}): Promise<string[] | number> {
  const port = exporter.apiAddress()!.port;
  const res = await fetch(`http://127.0.0.1:${port}/api/v2/traces/${TRACE_ID}`, {
    headers: { accept: 'application/protobuf', ...headers },
  });
  if (res.status !== 200) return res.status;
  let trace: Uint8Array = new Uint8Array(0);
  forEachField(new Uint8Array(await res.arrayBuffer()), (field, r) => {
    if (field === 1) trace = r.bytes();
  });
  return summarize(trace).flatMap((line) => {
    const [where, spans] = line.split(': ');
    return spans!.split(', ').map((span) => `${where}: ${span}`);
  }).sort();
}

describe('tracelake exporter', () => {
  let dir: string;
  let config: TracelakeExporterConfig;
  const running: TracelakeExporter[] = [];

  function create(patch?: (c: TracelakeExporterConfig) => void, metrics?: Registry): TracelakeExporter {
    const c = structuredClone(config);
    patch?.(c);
    const exporter = tracelakeExporterFactory.createTraces(settings(metrics), c) as TracelakeExporter;
    running.push(exporter);
    return exporter;
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tracelake-exporter-'));
    config = tracelakeExporterFactory.createDefaultConfig();
    config.server = { http_listen_address: '127.0.0.1', http_listen_port: 0 };
    config.storage.trace.local.path = path.join(dir, 'blocks');
    config.storage.trace.wal.path = path.join(dir, 'wal');
    config.ingester.trace_idle_period = '1h'; // blocks are cut by shutdown only: the test controls when
  });

  afterEach(async () => {
    for (const exporter of running.splice(0)) await exporter.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a pushed trace by ID at once, and again from blocks after a restart', async () => {
    const first = create();
    await first.start(host);
    await first.consumeTraces(batchOf('0000000000000001', 'GET /cart'), {});
    assert.deepEqual(await fetchTrace(first), ['cart/http: 0000000000000001 GET /cart']);
    await first.shutdown();

    const tenantDir = path.join(dir, 'blocks', 'single-tenant');
    const blockIds = (await readdir(tenantDir, { withFileTypes: true })).filter((e) => e.isDirectory());
    assert.equal(blockIds.length, 1);
    assert.ok((await readdir(path.join(tenantDir, blockIds[0]!.name))).includes('meta.json'));
    const second = create();
    await second.start(host);
    assert.deepEqual(await fetchTrace(second), ['cart/http: 0000000000000001 GET /cart']);
  });

  it('returns a trace split over several blocks and live data whole, without duplicates', async () => {
    const first = create();
    await first.start(host);
    await first.consumeTraces(batchOf('0000000000000001', 'root'), {});
    await first.shutdown();

    const second = create();
    await second.start(host);
    await second.consumeTraces(batchOf('0000000000000002', 'child'), {});
    await second.consumeTraces(batchOf('0000000000000001', 'root'), {}); // a retried send
    await second.shutdown();

    const third = create();
    await third.start(host);
    await third.consumeTraces(batchOf('0000000000000003', 'grandchild'), {});
    const spans = await fetchTrace(third);
    assert.deepEqual(spans, [
      'cart/http: 0000000000000001 root', 'cart/http: 0000000000000002 child', 'cart/http: 0000000000000003 grandchild',
    ]);
  });

  it('answers /ready once started and refuses batches after shutdown', async () => {
    const exporter = create();
    await exporter.start(host);
    const res = await fetch(`http://127.0.0.1:${exporter.apiAddress()!.port}/ready`);
    assert.equal(res.status, 200);
    await exporter.shutdown();
    await exporter.shutdown();
    await assert.rejects(exporter.consumeTraces(batchOf('0000000000000001', 'late'), {}), RetryableError);
  });

  it('keeps tenants apart when multitenancy is on, and refuses missing or invalid tenants', async () => {
    const exporter = create((c) => { c.multitenancy_enabled = true; });
    await exporter.start(host);
    await assert.rejects(exporter.consumeTraces(batchOf('0000000000000001', 'x'), {}), UnauthorizedError);
    await assert.rejects(exporter.consumeTraces(batchOf('0000000000000001', 'x'), { tenant: 'a/b' }), PermanentError);
    await exporter.consumeTraces(batchOf('0000000000000001', 'x'), { tenant: 'team-a' });
    assert.deepEqual(await fetchTrace(exporter, { 'x-scope-orgid': 'team-a' }), ['cart/http: 0000000000000001 x']);
    assert.equal(await fetchTrace(exporter, { 'x-scope-orgid': 'team-b' }), 404);
    assert.equal(await fetchTrace(exporter), 401);
  });

  it('counts sent and failed spans per exporter', async () => {
    const metrics = new Registry();
    const exporter = create((c) => { c.multitenancy_enabled = true; }, metrics);
    await exporter.start(host);
    await exporter.consumeTraces(batchOf('0000000000000001', 'x'), { tenant: 't' });
    await assert.rejects(exporter.consumeTraces(batchOf('0000000000000002', 'y'), {}));
    const text = await metrics.metrics();
    assert.match(text, /tracelake_exporter_sent_spans_total\{exporter="tracelake"\} 1/);
    assert.match(text, /tracelake_exporter_send_failed_spans_total\{exporter="tracelake"\} 1/);
  });
});
