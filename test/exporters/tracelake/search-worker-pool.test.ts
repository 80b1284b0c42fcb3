import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { BlockMeta, TraceEntry } from '../../../backend/block/block-meta.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { LiveIntervals } from '../../../backend/metrics/live-intervals.ts';
import { metricsBlocks } from '../../../backend/metrics/metrics-blocks.ts';
import { parseQueryRangeRequest } from '../../../backend/metrics/metrics-request.ts';
import { searchBlocks } from '../../../backend/search/search-blocks.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { SearchWorkerPool } from '../../../exporters/tracelake/search-worker-pool.ts';
import { encodeTrace } from '../../support/otlp-traces.ts';

const logger = pino({ level: 'silent' });
const BASE_NS = 1_700_000_000n * 1_000_000_000n;

/** `n` one-span traces, service svc-(i % 3), starting i ms apart from `first`. */
function entries(first: number, n: number): TraceEntry[] {
  return Array.from({ length: n }, (_, k) => {
    const i = first + k;
    const hex = (i + 1).toString(16).padStart(32, '0');
    const start = BASE_NS + BigInt(i) * 1_000_000n;
    return {
      traceId: Buffer.from(hex, 'hex'),
      trace: encodeTrace([{ service: `svc-${i % 3}`, scopes: [{ name: 'lib', spans: [{
        traceId: hex, spanId: (i + 1).toString(16).padStart(16, '0'), name: `op-${i}`,
        startUnixNano: start, endUnixNano: start + 1000n,
      }] }] }]),
      startUnixNano: Number(start), endUnixNano: Number(start + 1000n), spanCount: 1,
    };
  });
}

describe('SearchWorkerPool', function () {
  this.timeout(30_000);
  let dir: string;
  let store: LocalObjectStore;
  let metas: BlockMeta[];
  let pool: SearchWorkerPool;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'tracelake-search-pool-'));
    store = new LocalObjectStore(dir);
    metas = [];
    for (let b = 0; b < 4; b++) {
      const blockID = `00000000-0000-0000-0000-${String(b).padStart(12, '0')}`;
      metas.push(await writeBlock(store, { tenantID: 't', blockID, entries: entries(b * 300, 300), bloomFalsePositive: 0.01 }));
    }
    pool = new SearchWorkerPool({ threads: 2, store: { backend: 'local', path: dir }, logger });
  });

  after(async function () {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (q: string, limit = 1000) => parseSearchRequest(new URLSearchParams({ q, limit: String(limit) }));

  it('finds on its threads exactly what searchBlocks finds in this thread', async function () {
    for (const q of ['{ resource.service.name = "svc-1" }', '{ name = "op-7" }', '{}']) {
      const search = request(q, 500);
      const signal = new AbortController().signal;
      const [threaded, here] = await Promise.all([pool.run(metas, search, signal), searchBlocks(store, metas, search, signal)]);
      assert.deepEqual(threaded, here, q);
    }
    const svc1 = await pool.run(metas, request('{ resource.service.name = "svc-1" }'), new AbortController().signal);
    assert.equal(svc1.traces.length, 400);
    assert.equal(svc1.inspectedTraces, 1200);
  });

  it('computes metrics block jobs on its threads exactly as in this thread, held spans included', async function () {
    const base = Number(BASE_NS / 1_000_000_000n);
    for (const q of ['{} | count_over_time() by (resource.service.name)', '{ name =~ "op-1.*" } | quantile_over_time(duration, .5)']) {
      const request = parseQueryRangeRequest(new URLSearchParams({ q, start: String(base - 1), end: String(base + 2), step: '100ms' }));
      for (const live of [LiveIntervals.NONE, LiveIntervals.of([12, 13])]) {
        const signal = new AbortController().signal;
        const [threaded, here] = await Promise.all([pool.runMetrics(metas, { request, live }, signal), metricsBlocks(store, metas, { request, live }, signal)]);
        assert.deepEqual(threaded, here, q);
        assert.equal(threaded.inspectedSpans, 1200);
        assert.equal(threaded.held.length > 0, live !== LiveIntervals.NONE, q);
      }
    }
  });

  it('runs jobs on several threads at once, and drops or cancels aborted ones', async function () {
    const search = request('{} with (most_recent=true)', 10);
    const all = await Promise.all(metas.map((m) => pool.run([m], search, new AbortController().signal)));
    assert.deepEqual(all.map((r) => r.inspectedTraces), [300, 300, 300, 300]);
    const controller = new AbortController();
    const jobs = metas.map((m) => pool.run([m, m, m], search, controller.signal));
    controller.abort();
    const settled = await Promise.allSettled(jobs);
    assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected', 'rejected', 'rejected']);
    const after = await pool.run(metas, search, new AbortController().signal);
    assert.equal(after.inspectedTraces, 1200, 'the pool still works after cancellations');
  });

  it('fails a job with a RetryableError when its blocks cannot be read', async function () {
    const missing = { ...metas[0]!, blockID: '00000000-0000-0000-0000-00000000ffff' };
    await assert.rejects(pool.run([missing], request('{}'), new AbortController().signal), /search job failed/);
  });
});
