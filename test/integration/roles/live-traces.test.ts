import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { blockMetas } from '../block-files.ts';
import { recordSimpleTrace, sendSpans, traceIdOf } from '../sdk-spans.ts';
import { fetchSpans, getTrace, waitFor } from '../tempo-client.ts';
import { fromReadableSpan, sortSpans } from '../trace-model.ts';
import { decodeMessage } from '../trace-proto.ts';
import {
  embeddedConfig, freePorts, makeTempDir, removeDir, type Ports,
} from '../tracelake-process.ts';
import { RoleProcess } from './role-process.ts';

/** An ingester holding traces live for 10 minutes, and a querier asking it, over one blocks folder. */
async function writeConfigs(dir: string): Promise<{ ingester: { path: string; ports: Ports }; querier: { path: string; ports: Ports } }> {
  const blocks = join(dir, 'blocks');
  const write = async (name: string, patch: (doc: ReturnType<typeof parseDocument>) => void): Promise<{ path: string; ports: Ports }> => {
    const ports = await freePorts();
    const own = join(dir, name);
    await mkdir(own, { recursive: true });
    const doc = parseDocument(embeddedConfig(ports, own, { trace_idle_period: '10m', max_block_duration: '10m' }));
    doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], blocks);
    doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'blocklist_poll'], '1s');
    patch(doc);
    const path = join(own, 'pipelines.yaml');
    await writeFile(path, doc.toString());
    return { path, ports };
  };
  const ingester = await write('ingester', () => undefined);
  const querier = await write('querier', (doc) => {
    doc.setIn(['exporters', 'tracelake', 'querier'], { ingester_addresses: [`127.0.0.1:${ingester.ports.api}`], ingester_timeout: '1s' });
  });
  return { ingester, querier };
}

describe('querier with querier.ingester_addresses', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const roles: RoleProcess[] = [];

  afterEach(async function () {
    for (const r of roles.splice(0)) await r.stop('SIGKILL');
    for (const d of dirs.splice(0)) await removeDir(d);
  });

  async function startPair(): Promise<{ dir: string; ingester: RoleProcess; querier: RoleProcess }> {
    const dir = await makeTempDir();
    dirs.push(dir);
    const configs = await writeConfigs(dir);
    const ingester = new RoleProcess(configs.ingester.path, 'ingester', configs.ingester.ports);
    roles.push(ingester);
    const querier = new RoleProcess(configs.querier.path, 'querier,query-frontend', configs.querier.ports);
    roles.push(querier);
    await ingester.waitReady();
    await querier.waitReady();
    return { dir, ingester, querier };
  }

  it('finds a live trace through the querier before any flush, and answers PARTIAL once the ingester is killed', async function () {
    const { dir, ingester, querier } = await startPair();
    const spans = recordSimpleTrace({ spans: 4, name: 'live' });
    await sendSpans('http/protobuf', ingester, spans);
    const id = traceIdOf(spans);

    assert.deepStrictEqual(await fetchSpans(querier, id, 'v2', 'protobuf'), sortSpans(spans.map(fromReadableSpan)));
    assert.deepEqual(await blockMetas(join(dir, 'blocks')), [], 'no block flushed yet');

    const search = await fetch(querier.apiUrl(`/api/search?q=${encodeURIComponent('{ name = "live.child-1" }')}`));
    assert.equal(search.status, 200);
    const found = await search.json() as { traces?: { traceID: string; spanSets: { matched: number }[] }[] };
    assert.deepEqual(found.traces?.map((t) => [t.traceID, t.spanSets[0]!.matched]), [[id.replace(/^0+/, ''), 1]],
      'the querier searches the ingester\'s live traces');

    await ingester.stop('SIGKILL');
    const res = await getTrace(querier, id, 'v2', 'protobuf');
    assert.equal(res.status, 200, res.body.toString('utf8'));
    const response = decodeMessage('TraceByIDResponse', res.body);
    assert.equal(response.status, 1, 'status PARTIAL');
    assert.match(String(response.message), /1 of 2 trace sources failed/);
  });

  it('finds a trace flushed to blocks whole through the querier while the ingester is down', async function () {
    const { dir, ingester, querier } = await startPair();
    const spans = recordSimpleTrace({ spans: 3, name: 'flushed' });
    await sendSpans('grpc', ingester, spans);
    assert.deepEqual(await ingester.stop('SIGTERM'), { code: 0, signal: null });
    assert.ok((await blockMetas(join(dir, 'blocks'))).length > 0, 'the ingester flushed a block at shutdown');

    const expected = sortSpans(spans.map(fromReadableSpan));
    const actual = await waitFor('the flushed trace from the querier', async () => {
      const found = await fetchSpans(querier, traceIdOf(spans), 'v2', 'protobuf').catch(() => undefined);
      return found !== undefined && found.length === expected.length ? found : undefined;
    });
    assert.deepStrictEqual(actual, expected);
    assert.deepEqual(await querier.stop('SIGTERM'), { code: 0, signal: null });
  });
});
