/**
 * Ingest throughput of the embedded default: OTLP/HTTP protobuf in, WAL + blocks on a local folder.
 *
 *   node bench/ingest.bench.ts [--seconds 20] [--connections 32] [--spans-per-request 500] [--rate SPANS/S] [--search-every MS]
 *                              [--spans-per-trace 10] [--span-bytes 500] [--samples 20] [--keep]
 *
 * Prints spans/s and MB/s acknowledged with 200, request latency, the server's peak RSS, bytes per span at
 * rest after a SIGTERM flush, and the time from a 200 to the trace being readable by ID.
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { filesUnder } from '../test/integration/block-files.ts';
import { removeDir, TracelakeProcess } from '../test/integration/tracelake-process.ts';
import { buildRequest, TraceIdSource } from './load-request.ts';
import { percentile, post, runLoad, type LoadResult } from './otlp-load.ts';
import { parseLoadOptions } from './load-options.ts';
import { cpuSeconds, sampleMemory, type MemoryPeak } from './process-stats.ts';

const opts = parseLoadOptions({ connections: 32, samples: 20 });

/** Time from the 200 of a fresh trace to the first GET /api/traces/<id> that finds it. */
async function visibility(proc: TracelakeProcess, samples: number): Promise<number[]> {
  const ids = new TraceIdSource();
  const req = buildRequest({ ...opts.shape, spans: opts.shape.spansPerTrace });
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const [id] = ids.stamp(req);
    let r = await post(proc.otlpHttpUrl, req.body);
    // A server still digesting the load may refuse with 503/429: retry as an OTLP client would.
    for (let tries = 0; (r.status === 503 || r.status === 429) && tries < 100; tries++) {
      await sleep(100);
      r = await post(proc.otlpHttpUrl, req.body);
    }
    if (r.status !== 200) throw new Error(`sample export answered ${r.status} ${r.error ?? ''}`);
    const acked = performance.now();
    for (;;) {
      const res = await fetch(proc.apiUrl(`/api/traces/${id}`), { headers: { accept: 'application/protobuf' } });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (performance.now() - acked > 30_000) throw new Error(`trace ${id} not visible after 30 s (last ${res.status})`);
    }
    times.push(performance.now() - acked);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Grafana's search (`{ status = error }`, limit 20, the last hour) every `everyMs` while the load runs, as a
 * user looking at the data would: latencies and answer statuses, to see what searching costs ingest.
 */
function searchWhileLoading(proc: TracelakeProcess, everyMs: number): { stop(): Promise<{ ms: number[]; statuses: Map<number, number> }> } {
  const ms: number[] = [];
  const statuses = new Map<number, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const now = Math.floor(Date.now() / 1000);
      const t0 = performance.now();
      const res = await fetch(proc.apiUrl(`/api/search?q=${encodeURIComponent('{ status = error }')}&limit=20&start=${now - 3600}&end=${now + 60}`));
      await res.arrayBuffer();
      ms.push(performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { ms: ms.sort((a, b) => a - b), statuses };
    },
  };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (kib: number): string => `${fmt(kib / 1024)} MiB`;

function report(load: LoadResult, mem: MemoryPeak, serverCpu: number): string[] {
  const lat = [...load.latenciesMs].sort((a, b) => a - b);
  const refused = [...load.refused].map(([k, v]) => `${k}×${v} (${load.refusedSample.get(k) ?? ''})`).join(', ') || 'none';
  return [
    `  spans/s (200-acknowledged)    ${fmt(load.okSpans / load.seconds)}`,
    `  MB/s (request bodies)         ${fmt(load.okBytes / load.seconds / 1e6, 1)}`,
    `  requests                      ${fmt(load.okRequests)} ok in ${fmt(load.seconds, 1)} s; refused/failed: ${refused}`,
    `  latency p50 / p99             ${fmt(percentile(lat, 50), 1)} ms / ${fmt(percentile(lat, 99), 1)} ms`,
    `  server peak RSS (VmRSS/VmHWM) ${mib(mem.rssKiB)} / ${mib(mem.hwmKiB)}`,
    `  server CPU                    ${fmt((serverCpu / load.seconds) * 100)} % of one core; load generator ${fmt((load.clientCpuSeconds / load.seconds) * 100)} %`,
  ];
}

async function atRest(proc: TracelakeProcess, spans: number): Promise<string[]> {
  const blocks = await filesUnder(proc.blocksDir);
  const wal = await filesUnder(proc.walDir);
  const metas = blocks.filter((f) => f.path.endsWith('/meta.json'));
  let metaSpans = 0;
  for (const m of metas) metaSpans += Number((JSON.parse(await readFile(m.path, 'utf8')) as { totalSpans?: number }).totalSpans ?? 0);
  const blockBytes = blocks.reduce((n, f) => n + f.size, 0);
  const walBytes = wal.reduce((n, f) => n + f.size, 0);
  return [
    `  at rest after SIGTERM         ${metas.length} blocks, ${fmt(blockBytes)} B for ${fmt(spans)} acknowledged spans (meta.json totalSpans ${fmt(metaSpans)})`,
    `  bytes per span at rest        ${spans > 0 && blockBytes > 0 ? fmt(blockBytes / spans, 1) : 'n/a (no blocks)'}; WAL left ${fmt(walBytes)} B`,
  ];
}

async function main(): Promise<void> {
  const proc = await TracelakeProcess.start();
  const mem = sampleMemory(proc.pid);
  const cpu0 = await cpuSeconds(proc.pid);
  console.log(`tracelake ingest bench: OTLP/HTTP protobuf, ${opts.connections} connections, ${opts.shape.spans} spans/request of ` +
    `${opts.shape.spanBytes} B, ${opts.shape.spansPerTrace} spans/trace, ${opts.seconds} s, ` +
    `rate ${opts.rate === undefined ? 'unlimited' : `${opts.rate} spans/s`}; Node ${process.version}, ` +
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  try {
    const searching = opts.searchEveryMs === undefined ? undefined : searchWhileLoading(proc, opts.searchEveryMs);
    const load = await runLoad({ url: proc.otlpHttpUrl, connections: opts.connections, seconds: opts.seconds, shape: opts.shape, rate: opts.rate });
    const searched = await searching?.stop();
    const serverCpu = (await cpuSeconds(proc.pid)) - cpu0;
    const vis = await visibility(proc, opts.samples);
    const lines = report(load, mem.stop(), serverCpu);
    lines.push(`  200 → visible by ID           p50 ${fmt(percentile(vis, 50), 2)} ms, max ${fmt(vis.at(-1) ?? Number.NaN, 2)} ms (n=${vis.length})`);
    if (searched !== undefined) {
      const answered = [...searched.statuses].map(([status, n]) => `${status}×${n}`).join(', ');
      lines.push(`  searches while loading        ${searched.ms.length} (${answered}), p50 ${fmt(percentile(searched.ms, 50), 1)} ms, p99 ${fmt(percentile(searched.ms, 99), 1)} ms`);
    }
    const t0 = performance.now();
    const exit = await proc.stop('SIGTERM', 300_000);
    lines.push(`  SIGTERM → exit                ${fmt(performance.now() - t0)} ms, code ${exit.code}`);
    lines.push(...(await atRest(proc, load.okSpans + vis.length * opts.shape.spansPerTrace)));
    console.log(lines.join('\n'));
  } finally {
    await proc.stop('SIGKILL');
    if (opts.keep) console.log(`  data kept in ${proc.dir}`);
    else await removeDir(proc.dir);
  }
}

await main();
