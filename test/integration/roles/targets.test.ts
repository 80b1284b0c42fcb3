import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { parseDocument } from 'yaml';
import { blockMetas } from '../block-files.ts';
import { recordSimpleTrace, sendSpans, traceIdOf } from '../sdk-spans.ts';
import { fetchSpans, waitFor } from '../tempo-client.ts';
import { fromReadableSpan, sortSpans } from '../trace-model.ts';
import {
  embeddedConfig, freePorts, makeTempDir, removeDir, TracelakeProcess, type Ports,
} from '../tracelake-process.ts';
import { RoleProcess } from './role-process.ts';

/** The embedded config on fresh ports, reading and writing blocks in `blocksDir`, its WAL in `dir`. */
async function roleConfig(dir: string, blocksDir: string): Promise<{ path: string; ports: Ports }> {
  const ports = await freePorts();
  const doc = parseDocument(embeddedConfig(ports, dir));
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'local', 'path'], blocksDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'pipelines.yaml');
  await writeFile(path, doc.toString());
  return { path, ports };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('tracelake --target roles', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const roles: RoleProcess[] = [];
  let all: TracelakeProcess | undefined;

  afterEach(async function () {
    await all?.stop('SIGKILL');
    all = undefined;
    for (const r of roles.splice(0)) await r.stop('SIGKILL');
    for (const d of dirs.splice(0)) await removeDir(d);
  });

  it('serves every trace written by an all process from a querier,query-frontend process that binds no OTLP port', async function () {
    all = await TracelakeProcess.start();
    dirs.push(all.dir);
    const traces: ReadableSpan[][] = Array.from({ length: 6 }, (_, i) => recordSimpleTrace({ spans: 3, name: `role-${i}` }));
    for (const [i, spans] of traces.entries()) await sendSpans(i % 2 === 0 ? 'grpc' : 'http/protobuf', all, spans);
    assert.deepEqual(await all.stop('SIGTERM'), { code: 0, signal: null });
    assert.ok((await blockMetas(all.blocksDir)).length > 0, 'the all process flushed blocks at shutdown');

    const dir = await makeTempDir();
    dirs.push(dir);
    const { path, ports } = await roleConfig(dir, all.blocksDir);
    const querier = new RoleProcess(path, 'querier,query-frontend', ports);
    roles.push(querier);
    await querier.waitReady();
    assert.equal(await listening(ports.grpc), false, 'OTLP gRPC port bound');
    assert.equal(await listening(ports.http), false, 'OTLP HTTP port bound');
    assert.match(querier.output, /"modules":\["store","blocklist","block-reader","querier","api"\]/);

    for (const [i, spans] of traces.entries()) {
      const expected = sortSpans(spans.map(fromReadableSpan));
      const actual = await waitFor(`trace ${i} from the querier`, async () => {
        const found = await fetchSpans(querier, traceIdOf(spans), 'v2', 'protobuf').catch(() => undefined);
        return found !== undefined && found.length === expected.length ? found : undefined;
      });
      assert.deepStrictEqual(actual, expected, `trace ${i}`);
    }
    assert.deepEqual(await querier.stop('SIGTERM'), { code: 0, signal: null });
  });

  it('runs a compactor that answers /ready, binds no OTLP port, serves no trace routes and exits 0 on SIGTERM', async function () {
    const dir = await makeTempDir();
    dirs.push(dir);
    const { path, ports } = await roleConfig(dir, join(dir, 'blocks'));
    const compactor = new RoleProcess(path, 'compactor', ports);
    roles.push(compactor);
    await compactor.waitReady();
    assert.equal(await listening(ports.grpc), false, 'OTLP gRPC port bound');
    assert.equal(await listening(ports.http), false, 'OTLP HTTP port bound');
    const metrics = await fetch(compactor.apiUrl('/metrics'));
    assert.equal(metrics.status, 200);
    await metrics.arrayBuffer();
    const trace = await fetch(compactor.apiUrl(`/api/traces/${'ab'.repeat(16)}`));
    assert.equal(trace.status, 404);
    await trace.arrayBuffer();
    assert.match(compactor.output, /"modules":\["store","blocklist","compactor","api"\]/);
    assert.deepEqual(await compactor.stop('SIGTERM'), { code: 0, signal: null });
  });
});
