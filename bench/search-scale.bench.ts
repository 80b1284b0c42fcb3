/**
 * Search at scale (issue 5's closing numbers): ≥ 10 million varied spans as tl2 blocks, cached on disk, then
 *   (1) throughput of a single-attribute match and of a two-condition query scanned whole: spans scanned per
 *       CPU-second (per core) and MB/s, checked against the match counts counted while generating;
 *   (2) latency p50/p99 of typical Grafana searches (limit 20), over --runs runs each;
 * both by calling scanBlock over every block directly and, with --http, through a real `tracelake --target
 * querier` (/api/search: planning, workers, combiner). --s3 runs the same over a copy of the blocks in the
 * test S3 server (`npm run services:up`).
 *
 *   node bench/search-scale.bench.ts [--spans 10000000] [--per-block 2000000] [--dir /tmp/tracelake-search-10m]
 *     [--runs 20] [--full-runs 1] [--http] [--s3] [--no-direct]
 */
import { parseArgs } from 'node:util';
import type { BlockMeta } from '../backend/block/block-meta.ts';
import { readBlockMetas } from '../backend/block/read-block-metas.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import type { ObjectStore } from '../backend/storage/object-store.ts';
import { S3ObjectStore } from '../backend/storage/s3-object-store.ts';
import { requireS3Server, s3TestOptions } from '../test/backend/storage/s3-test-server.ts';
import { percentile } from './otlp-load.ts';
import { blocksDirOf, ensureScaleCorpus, type ScaleCorpusManifest } from './scale-corpus.ts';
import { ScaleQuerier, type ScaleStorage } from './scale-http.ts';
import { newestFirst, scanBlocks } from './scale-scan.ts';
import { corpusRange, grafanaQueries, throughputQueries, type ScaleQuery } from './scale-search-queries.ts';
import { uploadOnce } from './scale-upload.ts';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '10000000' }, 'per-block': { type: 'string', default: '2000000' },
    dir: { type: 'string' }, runs: { type: 'string', default: '20' }, 'full-runs': { type: 'string', default: '1' },
    http: { type: 'boolean', default: false }, s3: { type: 'boolean', default: false }, 'no-direct': { type: 'boolean', default: false },
  },
});
const spans = Number(values.spans);
const dir = values.dir ?? `/tmp/tracelake-search-${spans >= 1e6 ? `${spans / 1e6}m` : `${spans / 1e3}k`}`;
const runs = Number(values.runs);
const fullRuns = Number(values['full-runs']);
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Fails the bench loudly: a wrong count means the numbers measure a wrong search. */
function check(what: string, got: number, want: number | undefined): void {
  if (want !== undefined && got !== want) throw new Error(`${what}: ${got} traces, expected ${want} (counted while generating)`);
}

const manifest = await ensureScaleCorpus(dir, { spans, spansPerBlock: Number(values['per-block']), seed: 1, windowSeconds: 6 * 3600 }, (l) => console.log(l));
const range = corpusRange(manifest);
console.log(`search-scale: ${fmt(manifest.totalSpans)} spans, ${fmt(manifest.traces)} traces, ${manifest.blockIDs.length} blocks, ` +
  `${fmt(manifest.dataBytes / 1e6, 1)} MB of block data (${fmt(manifest.dataBytes / manifest.totalSpans, 1)} B/span; OTLP ` +
  `${fmt(manifest.otlpBytes / 1e6, 0)} MB); generated in ${fmt(manifest.generationSeconds, 0)} s; Node ${process.version}`);

const targets: { name: string; store: ObjectStore; storage: ScaleStorage; close(): void }[] = [
  { name: 'local', store: new LocalObjectStore(blocksDirOf(dir)), storage: { kind: 'local', blocksDir: blocksDirOf(dir) }, close: () => undefined },
];
if (values.s3) {
  await requireS3Server();
  const prefix = `bench/search-scale-${manifest.totalSpans}-${manifest.spansPerBlock}-${manifest.seed}`;
  const s3 = new S3ObjectStore(s3TestOptions({ prefix }));
  await uploadOnce(new LocalObjectStore(blocksDirOf(dir)), s3, (l) => console.log(l));
  targets.push({ name: 's3', store: s3, storage: { kind: 's3', prefix }, close: () => s3.close() });
}

for (const target of targets) {
  const metas = newestFirst(await readBlockMetas(target.store, manifest.tenant));
  if (!values['no-direct']) await direct(target.name, target.store, metas, manifest);
  if (values.http) await http(target.name, target.storage, manifest);
  target.close();
}

async function direct(name: string, store: ObjectStore, metas: readonly BlockMeta[], m: ScaleCorpusManifest): Promise<void> {
  console.log(`\n[${name}] scanBlock directly, one core`);
  for (const query of throughputQueries(m)) {
    for (let r = 0; r < fullRuns; r++) {
      const run = await scanBlocks(store, metas, { q: query.q, range, limit: Infinity });
      check(query.q, run.matches, query.expected);
      console.log(`  ${query.label.padEnd(17)} ${query.q}\n    ${fmt(run.matches)} traces; ${fmt(run.stats.inspectedSpans)} spans in ${fmt(run.wallSeconds, 2)} s, ` +
        `${fmt(run.cpuSeconds, 2)} CPU-s: ${fmt(run.stats.inspectedSpans / run.cpuSeconds)} spans/CPU-s, ${fmt(run.stats.inspectedSpans / run.wallSeconds)} spans/s; ` +
        `${fmt(run.stats.inspectedBytes / 1e6 / run.wallSeconds, 1)} MB/s read, ${fmt(m.dataBytes / 1e6 / run.cpuSeconds, 1)} MB of blocks per CPU-s`);
    }
  }
  await latencies(`[${name}] scanBlock, newest block first, limit 20`, grafanaQueries(m), async (q) => {
    const run = await scanBlocks(store, metas, { q: q.q, range, limit: 20 });
    return run.matches;
  });
}

async function http(name: string, storage: ScaleStorage, m: ScaleCorpusManifest): Promise<void> {
  console.log(`\n[${name}] /api/search of tracelake --target querier`);
  const querier = await ScaleQuerier.start(storage, { q: '{}', ...range });
  try {
    for (const query of throughputQueries(m)) {
      for (let r = 0; r < fullRuns; r++) {
        const run = await querier.search({ q: query.q, ...range, limit: 100_000_000 });
        check(query.q, run.traces, query.expected);
        console.log(`  ${query.label.padEnd(17)} ${fmt(run.traces)} traces in ${fmt(run.wallSeconds, 2)} s; server ${fmt(run.serverCpuSeconds, 2)} CPU-s: ` +
          `${fmt(m.totalSpans / run.serverCpuSeconds)} spans/CPU-s, ${fmt(m.totalSpans / run.wallSeconds)} spans/s; ` +
          `${fmt(run.inspectedBytes / 1e6 / run.wallSeconds, 1)} MB/s inspected`);
      }
    }
    await latencies(`[${name}] /api/search limit 20`, grafanaQueries(m), async (q) => (await querier.search({ q: q.q, ...range, limit: 20 })).traces);
  } finally {
    await querier.stop();
  }
}

async function latencies(title: string, queries: readonly ScaleQuery[], run: (q: ScaleQuery) => Promise<number>): Promise<void> {
  console.log(`  ${title}: p50 / p99 / max over ${runs} runs`);
  for (const q of queries) {
    const ms: number[] = [];
    try {
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const found = await run(q);
        ms.push(performance.now() - t0);
        check(`${q.q} limit 20`, found, Math.min(20, q.expected ?? 20));
      }
    } catch (err) {
      // The other queries still run; the bench exits non-zero.
      console.log(`    ${q.label.padEnd(19)} FAILED after ${ms.length} runs: ${(err as Error).message}`);
      process.exitCode = 1;
      continue;
    }
    ms.sort((a, b) => a - b);
    console.log(`    ${q.label.padEnd(19)} ${fmt(percentile(ms, 50), 1)} / ${fmt(percentile(ms, 99), 1)} / ${fmt(ms.at(-1)!, 1)} ms`);
  }
}
