import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { traceModels } from '../../../backend/traceql/trace-model.ts';
import { otlpJsonToProtobuf } from '../../../pipeline/otlp/json.ts';
import { RoleProcess } from '../roles/role-process.ts';
import { waitFor } from '../tempo-client.ts';
import { embeddedConfig, freePorts, makeTempDir, removeDir, type Ports } from '../tracelake-process.ts';
import { generateCorpus, otlpJsonRequest } from './search-corpus.ts';

type Patch = (doc: ReturnType<typeof parseDocument>) => void;

/** The embedded config with multitenancy on, its WAL under `dir/<name>`, blocks in the shared `blocksDir`. */
async function roleConfig(dir: string, name: string, blocksDir: string, patch: Patch = () => undefined): Promise<{ path: string; ports: Ports }> {
  const ports = await freePorts();
  const own = join(dir, name);
  await mkdir(own, { recursive: true });
  const doc = parseDocument(embeddedConfig(ports, own, { trace_idle_period: '10m', max_block_duration: '10m' }));
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], blocksDir);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'blocklist_poll'], '1s');
  doc.setIn(['exporters', 'tracelake', 'multitenancy_enabled'], true);
  patch(doc);
  const path = join(own, 'pipelines.yaml');
  await writeFile(path, doc.toString());
  return { path, ports };
}

const QUERY = '{ span.http.status_code >= 500 && resource.service.name != "db" }';

describe('GET /api/search through a query-frontend and a querier (real processes)', function () {
  this.timeout(120_000);
  const nowMs = Date.now();
  const corpus = generateCorpus({ traces: 60, seed: 3, nowMs });
  let dir: string;
  const roles: RoleProcess[] = [];
  let frontend: RoleProcess;

  before(async function () {
    dir = await makeTempDir();
    const blocksDir = join(dir, 'blocks');
    const writer = new RoleProcess(...(await started(dir, 'writer', blocksDir, 'all')));
    roles.push(writer);
    await writer.waitReady();
    const res = await fetch(writer.otlpHttpUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-scope-orgid': 'team-a' }, body: JSON.stringify(otlpJsonRequest(corpus.flat())),
    });
    assert.equal(res.status, 200, await res.text());
    assert.deepEqual(await writer.stop('SIGTERM'), { code: 0, signal: null });
    const querier = new RoleProcess(...(await started(dir, 'querier', blocksDir, 'querier')));
    roles.push(querier);
    frontend = new RoleProcess(...(await started(dir, 'frontend', blocksDir, 'query-frontend', (doc) => {
      doc.setIn(['exporters', 'tracelake', 'query_frontend'],
        doc.createNode({ querier_addresses: [`127.0.0.1:${querier.ports.api}`], querier_timeout: '5s' }));
    })));
    roles.push(frontend);
    await querier.waitReady();
    await frontend.waitReady();
  });

  after(async function () {
    for (const r of roles) await r.stop('SIGKILL');
    await removeDir(dir);
  });

  it('answers the reference\'s traces from blocks for the tenant, forwarded to the querier', async function () {
    const expected = evaluate(QUERY, traceModels(otlpJsonToProtobuf(otlpJsonRequest(corpus.flat()))))
      .map((m) => `${m.trace.traceId.replace(/^0+/, '')}:${m.spanSets[0]!.spans.length}`).sort();
    assert.ok(expected.length > 0);
    const url = frontend.apiUrl(`/api/search?q=${encodeURIComponent(QUERY)}&limit=100`);
    const actual = await waitFor('the querier to list the blocks', async () => {
      const res = await fetch(url, { headers: { 'x-scope-orgid': 'team-a' } });
      assert.equal(res.status, 200);
      const body = await res.json() as { traces?: { traceID: string; spanSets: { matched: number }[] }[] };
      const got = (body.traces ?? []).map((t) => `${t.traceID}:${t.spanSets[0]!.matched}`).sort();
      return got.length === expected.length ? got : undefined;
    });
    assert.deepEqual(actual, expected);
    assert.match(frontend.output, /"modules":\["query-frontend","api"\]/, 'the frontend reads no blocks itself');
  });

  it('keeps tenants apart, and answers 401 without a tenant and 400 for a bad one or bad TraceQL', async function () {
    const other = await fetch(frontend.apiUrl('/api/search?q=%7B%7D'), { headers: { 'x-scope-orgid': 'team-b' } });
    assert.equal(other.status, 200);
    assert.equal((await other.json() as { traces?: unknown[] }).traces, undefined);
    assert.equal((await fetch(frontend.apiUrl('/api/search'))).status, 401);
    assert.equal((await fetch(frontend.apiUrl('/api/search'), { headers: { 'x-scope-orgid': 'a/b' } })).status, 400);
    const bad = await fetch(frontend.apiUrl('/api/search?q=%7B+.a+%3D+%7D'), { headers: { 'x-scope-orgid': 'team-a' } });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /^invalid TraceQL query: parse error at line 1, col 8: /);
  });
});

async function started(dir: string, name: string, blocksDir: string, target: string, patch?: Patch): Promise<[string, string, Ports]> {
  const config = await roleConfig(dir, name, blocksDir, patch);
  return [config.path, target, config.ports];
}
