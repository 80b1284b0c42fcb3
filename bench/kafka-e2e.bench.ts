/**
 * The clustered example end to end over the real Kafka broker (`npm run services:up`): OTLP/HTTP protobuf
 * into a gateway (examples/cluster/gateway.yaml), Kafka, one ingester (examples/cluster/backend.yaml --target ingester).
 *
 *   node bench/kafka-e2e.bench.ts [--seconds 20] [--connections 16] [--spans-per-request 500] [--rate SPANS/S]
 *                                 [--spans-per-trace 10] [--span-bytes 500] [--samples 200]
 *
 * Prints gateway→Kafka throughput (spans/s acknowledged with 200), the gateway's CPU seconds per million
 * spans, the end-to-end lag (a 200 from the gateway → the trace readable by ID on the ingester, sampled
 * during the load), how long the ingester needs to catch up afterwards, and the peak RSS of both.
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from '../test/integration/cluster/cluster.ts';
import { REPO_ROOT } from '../test/integration/tracelake-process.ts';
import { spansConsumed } from '../test/integration/cluster/trace-checks.ts';
import type { TracelakeProcess } from '../test/integration/tracelake-process.ts';
import { buildRequest, TraceIdSource, type RequestShape } from './load-request.ts';
import { percentile, post, runLoad, type LoadResult } from './otlp-load.ts';
import { parseLoadOptions } from './load-options.ts';
import { cpuSeconds, sampleMemory, type MemoryPeak } from './process-stats.ts';

const opts = parseLoadOptions({ connections: 16, samples: 200 });

/** The broker's PID when `npm run services:up` started it (shares this machine's cores), else undefined. */
async function brokerPid(): Promise<number | undefined> {
  const text = await readFile(`${REPO_ROOT}.services/kafka/pid`, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && (await cpuSeconds(pid).then(() => true, () => false)) ? pid : undefined;
}

/**
 * While the load runs: one fresh trace at a time through the gateway, then GET /api/traces/<id> on the
 * ingester every 2 ms until it answers 200. Lag = that moment − the gateway's 200. Spread over the load.
 */
async function sampleLag(gateway: TracelakeProcess, ingester: TracelakeProcess, shape: RequestShape, until: number): Promise<{ lagsMs: number[]; spans: number }> {
  const ids = new TraceIdSource();
  const req = buildRequest({ ...shape, spans: shape.spansPerTrace });
  const gapMs = (opts.seconds * 1000) / opts.samples;
  const lagsMs: number[] = [];
  let spans = 0;
  while (performance.now() < until && lagsMs.length < opts.samples) {
    const started = performance.now();
    const [id] = ids.stamp(req);
    const r = await post(gateway.otlpHttpUrl, req.body);
    if (r.status !== 200) {
      await sleep(50); // refused under load: not a sample
      continue;
    }
    spans += req.spans;
    const acked = performance.now();
    for (;;) {
      const res = await fetch(ingester.apiUrl(`/api/traces/${id}`), { headers: { accept: 'application/protobuf' } });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (performance.now() - acked > 60_000) throw new Error(`trace ${id} not readable on the ingester 60 s after its 200`);
      await sleep(2);
    }
    lagsMs.push(performance.now() - acked);
    const wait = gapMs - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  }
  return { lagsMs: lagsMs.sort((a, b) => a - b), spans };
}

/** Time until the ingester has consumed `spans` spans in all (the backlog is consumed). */
async function catchUp(ingester: TracelakeProcess, spans: number): Promise<{ ms: number; behind: number }> {
  const t0 = performance.now();
  const behind = spans - (await spansConsumed(ingester));
  while ((await spansConsumed(ingester)) < spans) {
    if (performance.now() - t0 > 300_000) throw new Error(`the ingester did not consume ${spans} spans within 300 s`);
    await sleep(50);
  }
  return { ms: performance.now() - t0, behind: Math.max(0, behind) };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (kib: number): string => `${fmt(kib / 1024)} MiB`;

interface Measured {
  load: LoadResult;
  lag: { lagsMs: number[]; spans: number };
  gatewayCpu: number;
  ingesterCpu: number;
  /** Undefined when the broker is not a local process started by services:up. */
  brokerCpu: number | undefined;
  gatewayMem: MemoryPeak;
  ingesterMem: MemoryPeak;
  drained: { ms: number; behind: number };
}

function report(m: Measured): string {
  const { load, lag } = m;
  const lat = [...load.latenciesMs].sort((a, b) => a - b);
  const refused = [...load.refused].map(([k, v]) => `${k}×${v} (${load.refusedSample.get(k) ?? ''})`).join(', ') || 'none';
  const ackedSpans = load.okSpans + lag.spans;
  const core = (cpu: number, seconds = load.seconds) => `${fmt((cpu / seconds) * 100)} % of one core`;
  return [
    `  gateway→Kafka spans/s (200)   ${fmt(load.okSpans / load.seconds)}`,
    `  MB/s (request bodies)         ${fmt(load.okBytes / load.seconds / 1e6, 1)}`,
    `  requests                      ${fmt(load.okRequests)} ok in ${fmt(load.seconds, 1)} s; refused/failed: ${refused}`,
    `  latency p50 / p99             ${fmt(percentile(lat, 50), 1)} ms / ${fmt(percentile(lat, 99), 1)} ms`,
    `  gateway CPU                   ${fmt((m.gatewayCpu / ackedSpans) * 1e6, 2)} s per million spans (${core(m.gatewayCpu)})`,
    `  ingester CPU                  ${fmt((m.ingesterCpu / ackedSpans) * 1e6, 2)} s per million spans (${core(m.ingesterCpu, load.seconds + m.drained.ms / 1000)} until caught up); load generator ${core(load.clientCpuSeconds)}` +
      (m.brokerCpu === undefined ? '' : `; Kafka broker ${core(m.brokerCpu, load.seconds + m.drained.ms / 1000)}`),
    `  200 → readable on ingester    p50 ${fmt(percentile(lag.lagsMs, 50), 1)} ms, p99 ${fmt(percentile(lag.lagsMs, 99), 1)} ms, ` +
      `max ${fmt(lag.lagsMs.at(-1) ?? Number.NaN, 1)} ms (n=${lag.lagsMs.length}, during the load)`,
    `  ingester behind at load end   ${fmt(m.drained.behind)} spans, consumed ${fmt(m.drained.ms)} ms later`,
    `  peak RSS (VmRSS/VmHWM)        gateway ${mib(m.gatewayMem.rssKiB)} / ${mib(m.gatewayMem.hwmKiB)}; ` +
      `ingester ${mib(m.ingesterMem.rssKiB)} / ${mib(m.ingesterMem.hwmKiB)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const cluster = await Cluster.create('bench');
  try {
    const [gateway, ingester] = await Promise.all([cluster.startGateway(), cluster.startIngester()]);
    await cluster.waitForAssignment(1);
    console.log(`tracelake kafka e2e bench: gateway → Kafka (${cluster.brokers.join(',')}, topic of 4 partitions) → 1 ingester; ` +
      `OTLP/HTTP protobuf, ${opts.connections} connections, ${opts.shape.spans} spans/request of ${opts.shape.spanBytes} B, ` +
      `${opts.shape.spansPerTrace} spans/trace, ${opts.seconds} s, rate ${opts.rate === undefined ? 'unlimited' : `${opts.rate} spans/s`}; ` +
      `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
    const gatewayMem = sampleMemory(gateway.pid);
    const ingesterMem = sampleMemory(ingester.pid);
    const broker = await brokerPid();
    const [gatewayCpu0, ingesterCpu0] = [await cpuSeconds(gateway.pid), await cpuSeconds(ingester.pid)];
    const brokerCpu0 = broker === undefined ? 0 : await cpuSeconds(broker);
    const until = performance.now() + opts.seconds * 1000;
    const [load, lag] = await Promise.all([
      runLoad({ url: gateway.otlpHttpUrl, connections: opts.connections, seconds: opts.seconds, shape: opts.shape, rate: opts.rate }),
      sampleLag(gateway, ingester, opts.shape, until),
    ]);
    const gatewayCpu = (await cpuSeconds(gateway.pid)) - gatewayCpu0;
    const drained = await catchUp(ingester, load.okSpans + lag.spans);
    const ingesterCpu = (await cpuSeconds(ingester.pid)) - ingesterCpu0;
    const brokerCpu = broker === undefined ? undefined : (await cpuSeconds(broker)) - brokerCpu0;
    console.log(report({ load, lag, gatewayCpu, ingesterCpu, brokerCpu, gatewayMem: gatewayMem.stop(), ingesterMem: ingesterMem.stop(), drained }));
  } finally {
    await cluster.close(); // kills both, removes their folders, deletes the topic
  }
}

await main();
