import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { parseDocument } from 'yaml';
import { S3ObjectStore } from '../../backend/storage/s3-object-store.ts';
import {
  S3_TEST_BUCKET, S3_TEST_ENDPOINT, removeS3Prefix, requireS3Server, s3TestOptions, uniqueS3Prefix,
} from '../backend/storage/s3-test-server.ts';
import { createOtlpExporter, exportSpans, recordSampleTrace, recordSimpleTrace, traceIdOf } from './sdk-spans.ts';
import { API_VARIANTS, fetchSpans } from './tempo-client.ts';
import { fromReadableSpan, sortSpans } from './trace-model.ts';
import { embeddedConfig, freePorts, makeTempDir, removeDir, TracelakeProcess } from './tracelake-process.ts';

/** The shipped embedded config with blocks in the test S3 server under `prefix`; the secret comes from the environment. */
function s3Config(dir: string, ports: Awaited<ReturnType<typeof freePorts>>, prefix: string, secret = '${env:TL_TEST_S3_SECRET}'): string {
  const doc = parseDocument(embeddedConfig(ports, dir, { trace_idle_period: '1h' }));
  const url = new URL(S3_TEST_ENDPOINT);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 'backend'], 's3');
  doc.deleteIn(['exporters', 'tracelake', 'storage', 'trace', 'local']);
  doc.setIn(['exporters', 'tracelake', 'storage', 'trace', 's3'], doc.createNode({
    bucket: S3_TEST_BUCKET, endpoint: url.host, region: 'us-east-1', access_key: 'tracelake', secret_key: secret,
    insecure: url.protocol === 'http:', forcepathstyle: true, prefix,
  }));
  return doc.toString();
}

const BLOCK_OBJECT = /^single-tenant\/([^/]+)\/(meta\.json|data|index|bloom-\d+)$/;

describe('tracelake with blocks in S3 (storage.trace.backend: s3)', function () {
  const env = { TL_TEST_S3_SECRET: 'tracelake-secret' };
  let prefix: string;
  let dir: string;
  const procs: TracelakeProcess[] = [];

  beforeEach(async function () {
    await requireS3Server();
    prefix = uniqueS3Prefix('it-backend');
    dir = await makeTempDir('tracelake-s3-it-');
  });

  afterEach(async function () {
    for (const p of procs.splice(0)) await p.stop('SIGKILL');
    await removeDir(dir);
    await removeS3Prefix(prefix);
  });

  it('flushes blocks to the bucket in Tempo\'s layout on SIGTERM and serves every trace from S3 after a restart', async function () {
    const ports = await freePorts();
    const first = await TracelakeProcess.startWithConfig({ config: s3Config(dir, ports, prefix), dir, ports, env });
    procs.push(first);
    const traces: ReadableSpan[][] = [recordSampleTrace('s3-checkout')];
    for (let i = 0; i < 30; i++) traces.push(recordSimpleTrace({ spans: 2 + (i % 4), name: `s3-${i}` }));
    const exporter = createOtlpExporter('http/protobuf', first);
    try {
      for (const spans of traces) await exportSpans(exporter, spans);
    } finally {
      await exporter.shutdown();
    }
    assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null });

    const store = new S3ObjectStore(s3TestOptions({ prefix }));
    try {
      const keys = (await store.list('')).sort();
      const strays = keys.filter((k) => !BLOCK_OBJECT.test(k));
      assert.deepEqual(strays, [], `objects outside ${prefix}/<tenant>/<blockID>/{meta.json,data,index,bloom-N}`);
      const blocks = new Set(keys.map((k) => BLOCK_OBJECT.exec(k)![1]!));
      assert.ok(blocks.size >= 1);
      let spans = 0;
      for (const block of blocks) {
        const meta = JSON.parse(new TextDecoder().decode(await store.get(`single-tenant/${block}/meta.json`))) as { bloomShards: number; totalSpans: number };
        const bloom = Array.from({ length: meta.bloomShards }, (_, i) => `bloom-${i}`);
        const names = keys.filter((k) => k.startsWith(`single-tenant/${block}/`)).map((k) => k.split('/')[2]!);
        assert.deepEqual(names.sort(), ['data', 'index', 'meta.json', ...bloom].sort(), `block ${block}`);
        spans += meta.totalSpans;
      }
      assert.equal(spans, traces.flat().length);
    } finally {
      store.close();
    }
    assert.deepEqual((await readdir(dir)).sort(), ['pipelines.yaml', 'wal'], 'nothing but the WAL on local disk');

    const second = await first.restart();
    procs.push(second);
    for (const spans of traces) {
      const expected = sortSpans(spans.map(fromReadableSpan));
      assert.deepStrictEqual(await fetchSpans(second, traceIdOf(spans), 'v2', 'protobuf'), expected);
    }
    const sample = traces[0]!;
    for (const { version, format } of API_VARIANTS) {
      assert.deepStrictEqual(await fetchSpans(second, traceIdOf(sample), version, format), sortSpans(sample.map(fromReadableSpan)));
    }
  });

  it('refuses to start, naming the cause, when the secret key is wrong', async function () {
    const ports = await freePorts();
    await assert.rejects(
      TracelakeProcess.startWithConfig({ config: s3Config(dir, ports, prefix, 'not-the-secret'), dir, ports, readyTimeoutMs: 20_000 }),
      /exited \(code [1-9][0-9]*.*[\s\S]*SignatureDoesNotMatch \(403\)/,
    );
  });
});
