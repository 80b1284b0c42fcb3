import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import { s3TestOptions } from '../../backend/storage/s3-test-server.ts';
import { encodeSpans } from '../cluster/raw-otlp.ts';
import { traceIdOf } from '../sdk-spans.ts';
import { fromReadableSpan, sortSpans } from '../trace-model.ts';
import { freePorts, TracelakeProcess } from '../tracelake-process.ts';
import { BucketSampler } from './bucket-sampler.ts';
import { describeSnapshot } from './bucket-view.ts';
import { metricSum } from './metrics-text.ts';
import { recordOldTrace } from './old-trace.ts';
import { S3_SECRET_ENV, storageConfig, type Backend } from './storage-config.ts';
import { exportGrpcAs, getTraceAs, postAs, spansAs } from './tenant-requests.ts';
import { storageRun } from './storage-run.ts';

const SHORT = 'short';
const LONG = 'long';
const TWO_DAYS_MS = 2 * 24 * 3600_000;
const HOSTILE = ['../x', 'a/b', '..', 'a'.repeat(151)];
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_UNAUTHENTICATED = 16;

const expectedOf = (spans: ReadableSpan[]) => sortSpans(spans.map(fromReadableSpan));

for (const kind of ['local', 's3'] as const) {
  describe(`block retention and tenants in the tracelake CLI (storage.trace.backend: ${kind})`, function () {
    this.timeout(120_000);
    const run = storageRun(kind, 'it-retention');

    it('deletes a tenant\'s blocks past its overridden block_retention, keeps the other tenant\'s, and keeps tenants apart', async function () {
      const { dir, backend, procs } = run;
      const ports = await freePorts();
      const proc = await TracelakeProcess.startWithConfig({
        dir, ports, env: S3_SECRET_ENV,
        config: storageConfig({
          ports, dir, backend, multitenancy: true,
          ingester: { trace_idle_period: '200ms', max_block_duration: '1s' },
          // The schema takes durations under 1m: 1s expires the short tenant's (two days old) blocks at once,
          // while the default 336h keeps the long tenant's.
          overrides: { [SHORT]: { block_retention: '1s' } },
          compaction: { compaction_cycle: '1s', compacted_block_retention: '3s', orphan_grace_period: '1m' },
          blocklistPoll: '1s',
        }),
      });
      procs.push(proc);
      const api = proc.apiUrl.bind(proc);
      const view = run.openView(proc.blocksDir);
      const shortSampler = new BucketSampler(view, SHORT);

      const traces: Record<string, ReadableSpan[][]> = { [SHORT]: [], [LONG]: [] };
      for (const tenant of [SHORT, LONG]) {
        for (let i = 0; i < 4; i++) {
          const spans = recordOldTrace(`${tenant}-${i}`, TWO_DAYS_MS);
          const body = encodeSpans(spans);
          if (i % 2 === 0) {
            const res = await postAs(proc.otlpHttpUrl, tenant, body);
            assert.equal(res.status, 200, res.body);
          } else {
            assert.deepEqual(await exportGrpcAs(proc.otlpGrpcUrl, tenant, body), { code: 0, details: '' });
          }
          traces[tenant].push(spans);
        }
      }
      const probe = encodeSpans(recordOldTrace('no-tenant', TWO_DAYS_MS));
      assert.equal((await postAs(proc.otlpHttpUrl, undefined, probe)).status, 401);
      assert.equal((await exportGrpcAs(proc.otlpGrpcUrl, undefined, probe)).code, GRPC_UNAUTHENTICATED);

      await checkTenantsApart(api, traces[LONG], traces[SHORT]);
      assert.equal((await getTraceAs(api, traceIdOf(traces[LONG][0]!), undefined)).status, 401, 'a query without X-Scope-OrgID');

      await waitFor('the short tenant\'s blocks to be deleted and the long tenant\'s to be kept', async () => {
        const short = await shortSampler.sample();
        const long = await view!.tenant(LONG);
        const live = await metricSum(api, 'tracelake_ingester_live_traces');
        const done = live === 0 && short.folders.size === 0 && shortSampler.markedSeen.size > 0 && long.live.length > 0;
        return { done, detail: `live traces ${live}; short: ${describeSnapshot(short)}\nlong: ${describeSnapshot(long)}` };
      });
      await shortSampler.stop();
      assert.deepEqual(shortSampler.violations, []);
      assert.ok(await metricSum(api, 'tracelake_compactor_retention_deleted_blocks_total') >= 1);

      for (const spans of traces[SHORT]) assert.equal(await spansAs(api, traceIdOf(spans), SHORT), 404, 'a trace past retention');
      await checkTenantsApart(api, traces[LONG], []);
      for (const spans of traces[SHORT]) assert.equal(await spansAs(api, traceIdOf(spans), LONG), 404);

      const before = await view.keys();
      for (const id of HOSTILE) {
        const body = encodeSpans(recordOldTrace(`hostile-${id.length}`, TWO_DAYS_MS));
        const http = await postAs(proc.otlpHttpUrl, id, body);
        assert.equal(http.status, 400, `HTTP with X-Scope-OrgID ${id}: ${http.body}`);
        assert.equal((await exportGrpcAs(proc.otlpGrpcUrl, id, body)).code, GRPC_INVALID_ARGUMENT, `gRPC with x-scope-orgid ${id}`);
        assert.equal((await getTraceAs(api, traceIdOf(traces[LONG][0]!), id)).status, 400, `query with X-Scope-OrgID ${id}`);
      }
      await sleep(2500); // past trace_idle_period + max_block_duration: anything accepted would be flushed by now
      const after = await view.keys();
      const strays = after.filter((k) => !k.startsWith(`${SHORT}/`) && !k.startsWith(`${LONG}/`));
      assert.deepEqual(strays, [], 'objects outside <prefix>/<tenant>/');
      assert.deepEqual(after.filter((k) => k.startsWith(`${LONG}/`) && !before.includes(k) && !k.endsWith('index.json.gz')), [],
        'objects written after the hostile requests');
      await checkNothingOutside(backend, dir);
    });
  });
}

/** `mine` is whole as LONG and 404 as SHORT; `theirs` (SHORT's) is whole as SHORT and 404 as LONG. */
async function checkTenantsApart(api: (path: string) => string, mine: ReadableSpan[][], theirs: ReadableSpan[][]): Promise<void> {
  for (const spans of mine) {
    assert.deepStrictEqual(await spansAs(api, traceIdOf(spans), LONG), expectedOf(spans));
    assert.equal(await spansAs(api, traceIdOf(spans), SHORT), 404, 'another tenant\'s trace');
  }
  for (const spans of theirs) {
    assert.deepStrictEqual(await spansAs(api, traceIdOf(spans), SHORT), expectedOf(spans));
    assert.equal(await spansAs(api, traceIdOf(spans), LONG), 404, 'another tenant\'s trace');
  }
}

/** A hostile tenant ID resolved as a path would land beside the prefix (S3) or the blocks folder (local). */
async function checkNothingOutside(backend: Backend, dir: string): Promise<void> {
  if (backend.kind === 'local') {
    assert.deepEqual((await readdir(dir)).sort(), ['blocks', 'pipelines.yaml', 'wal']);
    return;
  }
  const parent = backend.prefix.slice(0, backend.prefix.lastIndexOf('/'));
  const store = new S3ObjectStore(s3TestOptions());
  try {
    for (const p of [`${parent}/x/`, 'x/', 'a/b/', `${parent}/a/`]) assert.deepEqual(await store.list(p), [], `objects under ${p}`);
  } finally {
    store.close();
  }
}

async function waitFor(what: string, probe: () => Promise<{ done: boolean; detail: string }>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, detail } = await probe();
    if (done) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ${detail}`);
    await sleep(200);
  }
}
