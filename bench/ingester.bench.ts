/**
 * Ingester benchmark: `node bench/ingester.bench.ts [--spans 1000000] [--spans-per-batch 1000]
 * [--concurrency 8] [--idle-ms 5000] [--max-block-mib 100] [--rate spans/s, 0 = as fast as it goes]`.
 *
 * Pushes ~500-byte spans through a real Ingester with a real WAL and real blocks in a LocalObjectStore in a
 * temporary folder. Each concurrent pusher owns one prebuilt request (bench/load-request.ts, 10 spans per
 * trace) decoded once with decodeTraceRequest; before each push it rewrites the trace IDs in place through
 * the decoded views, so every push brings new traces and the generator costs next to nothing.
 * Prints spans/s, WAL MB/s, block flush times and peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { writeBlock } from '../backend/block/write-block.ts';
import { Ingester } from '../backend/ingester/ingester.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { RetryableError } from '../pipeline/errors.ts';
import { decodeTraceRequest } from '../pipeline/otlp/decode-trace-request.ts';
import type { TraceBatch } from '../pipeline/trace-batch.ts';
import { buildRequest, TraceIdSource } from './load-request.ts';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    'spans-per-batch': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    'idle-ms': { type: 'string', default: '5000' },
    'max-block-mib': { type: 'string', default: '100' },
    rate: { type: 'string', default: '0' },
  },
});
const totalSpans = Number(values.spans);
const spansPerBatch = Number(values['spans-per-batch']);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);
const out = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** One decoded batch per pusher; the span bytes are views into its request body. */
function makeBatches(): { batches: TraceBatch[]; spanBytes: number } {
  const ids = new TraceIdSource();
  const batches = Array.from({ length: concurrency }, () => {
    const req = buildRequest({ spans: spansPerBatch, spansPerTrace: 10, spanBytes: 500 });
    ids.stamp(req);
    return decodeTraceRequest(req.body).batch;
  });
  const span = batches[0].resourceSpans[0].scopeSpans[0].spans[1];
  return { batches, spanBytes: span.bytes.length };
}

/** Rewrites bytes 0..3 of every trace ID (views into the request body): the batch's traces become new ones. */
function restamp(batch: TraceBatch, push: number): void {
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const id = span.traceId;
        id[0] = push >>> 24;
        id[1] = (push >>> 16) & 0xff;
        id[2] = (push >>> 8) & 0xff;
        id[3] = push & 0xff;
      }
    }
  }
}

/** Peak RSS sampled every 50 ms. */
function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

function flushLog(): { stream: { write(line: string): void }; flushes: { durationMs: number; spans: number; bytes: number }[] } {
  const flushes: { durationMs: number; spans: number; bytes: number }[] = [];
  return {
    flushes,
    stream: {
      write(line: string) {
        const entry = JSON.parse(line) as { msg: string; durationMs: number; spans: number; bytes: number; level: number };
        if (entry.msg === 'block flushed') flushes.push(entry);
        else if (entry.level >= 40) process.stderr.write(line);
      },
    },
  };
}

async function pushAll(ingester: Ingester, batches: readonly TraceBatch[]): Promise<{ spans: number; refused: number }> {
  const pushes = Math.ceil(totalSpans / spansPerBatch);
  let spans = 0;
  let refused = 0;
  const began = performance.now();
  // Pusher w owns batches[w] and pushes it again and again: a batch is never restamped while in flight.
  const pusher = async (w: number) => {
    for (let i = w; i < pushes; i += concurrency) {
      const batch = batches[w];
      if (rate > 0) {
        const due = began + ((i * spansPerBatch) / rate) * 1000;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      }
      restamp(batch, i + 1);
      for (;;) {
        try {
          await ingester.push('bench', batch);
          break;
        } catch (err) {
          if (!(err instanceof RetryableError)) throw err;
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      spans += batch.spanCount;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => pusher(w)));
  return { spans, refused };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tracelake-ingester-bench-'));
  try {
    const { batches, spanBytes } = makeBatches();
    out(`${concurrency} pushers, ${spansPerBatch} spans per batch, ${spanBytes} bytes per span message`);
    const baseRss = process.memoryUsage().rss;
    const rss = sampleRss();
    const log = flushLog();
    const metrics = new Registry();
    const ingester = new Ingester({
      walDir: join(dir, 'wal'), store: new LocalObjectStore(join(dir, 'blocks')), writeBlock, bloomFalsePositive: 0.01,
      traceIdlePeriodMs: Number(values['idle-ms']), maxBlockDurationMs: 300_000,
      maxBlockBytes: Number(values['max-block-mib']) * 1024 * 1024,
      logger: pino({ level: 'info' }, log.stream), metrics, onBlockFlushed: () => undefined,
    });
    await ingester.start();
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    const { spans, refused } = await pushAll(ingester, batches);
    const pushSeconds = (performance.now() - began) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const flushesDuringPush = log.flushes.length;
    const afterPush = process.memoryUsage();
    const stopBegan = performance.now();
    await ingester.shutdown();
    const stopSeconds = (performance.now() - stopBegan) / 1000;
    const walBytes = (await metrics.getSingleMetric('tracelake_ingester_wal_bytes_written_total')!.get()).values[0].value;
    const peakRss = rss.stop();
    const spanBytesPushed = spanBytes * spans;
    out(`pushed ${spans} spans in ${pushSeconds.toFixed(2)} s: ${Math.round(spans / pushSeconds)} spans/s, ` +
      `${mib(spanBytesPushed / pushSeconds)} MiB/s of spans, refused (budget) ${refused}, ` +
      `CPU ${((cpu.user + cpu.system) / 1e6 / pushSeconds).toFixed(2)} cores (main thread + libuv pool)`);
    out(`WAL: ${mib(walBytes)} MiB written, ${mib(walBytes / pushSeconds)} MiB/s`);
    const times = log.flushes.map((f) => f.durationMs).sort((a, b) => a - b);
    out(`blocks: ${log.flushes.length} (${flushesDuringPush} during the push), flush time ms min/median/max ` +
      `${times[0]}/${times[Math.floor(times.length / 2)]}/${times.at(-1)}, ` +
      `${mib(log.flushes.reduce((n, f) => n + f.bytes, 0))} MiB at rest`);
    out(`after the push: RSS ${mib(afterPush.rss)} MiB, heap ${mib(afterPush.heapUsed)} MiB, array buffers ${mib(afterPush.arrayBuffers)} MiB`);
    out(`shutdown (flush of the rest): ${stopSeconds.toFixed(2)} s`);
    out(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)} MiB (maxRSS); sampled peak ${mib(peakRss)} MiB, ${mib(baseRss)} MiB before ingesting`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
