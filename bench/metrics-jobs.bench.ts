/**
 * A TraceQL metrics query over the cached search-scale corpus (search-scale.bench.ts writes it), as block
 * jobs: in this thread, or on worker threads as a querier runs them (querier.search.workers). Prints wall
 * time, spans per second, CPU of the process, its peak RSS (VmHWM, threads included) and the series.
 *
 *   node bench/metrics-jobs.bench.ts [--dir /tmp/tracelake-search-500k] [--threads 0|N] [--q '<metrics query>']
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { BlockMeta } from '../backend/block/block-meta.ts';
import { readBlockMeta } from '../backend/block/read-block-meta.ts';
import { metricsBlocks } from '../backend/metrics/metrics-blocks.ts';
import type { MetricsBlockRunner } from '../backend/metrics/metrics-job.ts';
import { localMetricsRunner } from '../backend/metrics/metrics-live.ts';
import { parseQueryRangeRequest } from '../backend/metrics/metrics-request.ts';
import { TraceMetrics } from '../backend/metrics/trace-metrics.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { SearchWorkerPool } from '../exporters/tracelake/search-worker-pool.ts';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/tracelake-search-500k' },
    threads: { type: 'string', default: '0' },
    q: { type: 'string', default: '{} | count_over_time() by (resource.service.name)' },
  },
});
const manifest = JSON.parse(await readFile(path.join(args.dir, 'manifest.json'), 'utf8')) as {
  tenant: string; blockIDs: string[]; baseUnixSeconds: number; windowSeconds: number; totalSpans: number;
};
const blocksDir = path.join(args.dir, 'blocks');
const store = new LocalObjectStore(blocksDir);
const metas = (await Promise.all(manifest.blockIDs.map((id) => readBlockMeta(store, manifest.tenant, id)))).filter((m): m is BlockMeta => m !== undefined);
const threads = Number(args.threads);
const logger = pino({ level: 'silent' });
const pool = threads > 0 ? new SearchWorkerPool({ threads, store: { backend: 'local', path: blocksDir }, logger }) : undefined;
const inThread: MetricsBlockRunner = (blocks, work, signal) => metricsBlocks(store, blocks, work, signal);
const metrics = new TraceMetrics({
  planner: { live: false, blocks: async () => metas },
  runner: localMetricsRunner([], pool?.runMetrics ?? inThread),
  settings: { concurrentJobs: Math.max(1, threads), targetBytesPerJob: 1, queryTimeoutMs: 3_600_000 },
  logger,
});
const { baseUnixSeconds: base, windowSeconds } = manifest;
const request = parseQueryRangeRequest(new URLSearchParams({ q: args.q, start: String(base - 60), end: String(base + windowSeconds + 60), step: '60s' }));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const res = await metrics.queryRange(manifest.tenant, request);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await pool?.close();
const status = await readFile('/proc/self/status', 'utf8');
const hwm = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
const spans = Number(res.metrics.inspectedSpans ?? 0);
console.log(`${args.q} over ${metas.length} blocks, ${spans} spans (${manifest.totalSpans} in the corpus), threads ${threads}: ` +
  `${seconds.toFixed(2)} s, ${Math.round(spans / seconds).toLocaleString('en')} spans/s, process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, ` +
  `peak RSS ${(hwm / 1024).toFixed(0)} MiB, ${res.series?.length ?? 0} series, ${res.metrics.totalJobs} jobs`);
