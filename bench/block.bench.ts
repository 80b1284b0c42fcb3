/**
 * Block format benchmark: `node bench/block.bench.ts [minSpans]`. Builds tl1 and tl2 blocks from a realistic
 * corpus into a LocalObjectStore and prints bytes per span at rest, build throughput and trace-by-ID latency
 * for a few page / row group sizes and zstd levels, then cold/warm lookups over many blocks with the defaults.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockFormat } from '../backend/block/block-layout.ts';
import type { TraceEntry } from '../backend/block/block-meta.ts';
import { BlockReader } from '../backend/block/block-reader.ts';
import { DEFAULT_PAGE_BYTES, DEFAULT_ZSTD_LEVEL } from '../backend/block/data-pages.ts';
import { DEFAULT_ROW_GROUP_BYTES } from '../backend/block/row-group-data-encoder.ts';
import { writeBlock } from '../backend/block/write-block.ts';
import { BlockList } from '../backend/db/block-list.ts';
import { TraceDb } from '../backend/db/trace-db.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import type { ObjectStore } from '../backend/storage/object-store.ts';
import { makeCorpus, makeRandom } from './block-corpus.ts';

const FP = 0.01;
const out = (line: string) => process.stdout.write(`${line}\n`);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeEach(ids: readonly Uint8Array[], lookup: (id: Uint8Array) => Promise<unknown>): Promise<string> {
  const ms: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await lookup(id);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return `p50 ${percentile(ms, 50).toFixed(2)} ms  p99 ${percentile(ms, 99).toFixed(2)} ms`;
}

async function bytesAtRest(store: ObjectStore, prefix: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = { data: 0, index: 0, bloom: 0, meta: 0 };
  for (const key of await store.list(prefix)) {
    const name = key.slice(prefix.length).replace(/-\d+$/, '').replace('.json', '');
    sizes[name] += (await store.get(key)).length;
  }
  return sizes;
}

interface Setting {
  readonly format: BlockFormat;
  /** tl1: uncompressed page bytes; tl2: encoded OTLP bytes per row group. */
  readonly unitKiB: number;
  readonly level: number;
}

const SETTINGS: readonly Setting[] = [
  ...[256, 512, 1024].flatMap((unitKiB) => [1, 3, 6].map((level): Setting => ({ format: 'tl1', unitKiB, level }))),
  ...[512, 1024, 2048, 4096].flatMap((unitKiB) => [1, 3, 6].map((level): Setting => ({ format: 'tl2', unitKiB, level }))),
];

/** One block of the whole corpus per setting: size, build speed, warm lookup cost (one page / row group read each). */
async function compareSettings(store: ObjectStore, entries: readonly TraceEntry[], spans: number, sampleIds: Uint8Array[]) {
  out('\nformat  unit KiB  zstd  B/span (data+index+bloom+meta)  build spans/CPU-s  warm lookup (one block)');
  for (const { format, unitKiB, level } of SETTINGS) {
    const blockID = `${format}-u${unitKiB}-z${level}`;
    const options = { tenantID: 'bench', blockID, entries, bloomFalsePositive: FP, pageSize: unitKiB * 1024, zstdLevel: level, format };
    // CPU time, best of 3: the build's own cost, not what other processes on the machine take.
    let buildMs = Infinity;
    let meta = await writeBlock(store, options);
    for (let run = 0; run < 3; run++) {
      const before = process.cpuUsage();
      meta = await writeBlock(store, options);
      const used = process.cpuUsage(before);
      buildMs = Math.min(buildMs, (used.user + used.system) / 1000);
    }
    const sizes = await bytesAtRest(store, `bench/${blockID}/`);
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    const reader = new BlockReader(store);
    for (const id of sampleIds.slice(0, 200)) await reader.findTrace(meta, id);
    const warm = await timeEach(sampleIds, (id) => reader.findTrace(meta, id));
    const parts = `(${(sizes.data / spans).toFixed(1)}+${(sizes.index / spans).toFixed(2)}+${(sizes.bloom / spans).toFixed(2)}+${(sizes.meta / spans).toFixed(3)})`;
    out(`${format.padEnd(6)}  ${String(unitKiB).padStart(8)}  ${String(level).padStart(4)}  ${(total / spans).toFixed(1).padStart(6)} ${parts.padEnd(24)}  ${Math.round(spans / (buildMs / 1000)).toLocaleString('en').padStart(15)}  ${warm}`);
  }
}

/** The corpus cut into `count` blocks, as an ingester cuts by time: every block spans the whole ID space. */
async function lookupsOverBlocks(store: ObjectStore, entries: readonly TraceEntry[], format: BlockFormat, sampleIds: Uint8Array[]) {
  const count = 100;
  const blocks = new BlockList();
  const tenantID = `many-${format}`;
  for (let b = 0; b < count; b++) {
    const mine = entries.filter((_, i) => i % count === b);
    blocks.add(await writeBlock(store, { tenantID, blockID: `b${b}`, entries: mine, bloomFalsePositive: FP, format }));
  }
  const warmDb = new TraceDb({ blocks, reader: new BlockReader(store) });
  for (const id of sampleIds) await warmDb.findTraceById(tenantID, id);
  const warm = await timeEach(sampleIds, (id) => warmDb.findTraceById(tenantID, id));
  const cold = await timeEach(sampleIds.slice(0, 200), (id) => new TraceDb({ blocks, reader: new BlockReader(store) }).findTraceById(tenantID, id));
  out(`${format}: trace by ID over ${count} blocks (defaults, local folder): warm caches ${warm}; cold caches ${cold}`);
}

async function main(): Promise<void> {
  const minSpans = Number(process.argv[2] ?? 200_000);
  const t = performance.now();
  const corpus = makeCorpus(minSpans);
  const { entries, spans } = corpus;
  out(`corpus: ${entries.length} traces, ${spans} spans, ${(corpus.protobufBytes / spans).toFixed(0)} B/span as OTLP protobuf (generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  out(`defaults: tl1 page ${DEFAULT_PAGE_BYTES / 1024} KiB, tl2 row group ${DEFAULT_ROW_GROUP_BYTES / 1024} KiB of OTLP, zstd level ${DEFAULT_ZSTD_LEVEL}, bloom false-positive ${FP}`);
  const random = makeRandom(7);
  const sampleIds = Array.from({ length: 2000 }, () => entries[Math.floor(random() * entries.length)].traceId);
  const root = await mkdtemp(join(tmpdir(), 'tracelake-bench-'));
  try {
    const store = new LocalObjectStore(root);
    await compareSettings(store, entries, spans, sampleIds);
    out('');
    for (const format of ['tl1', 'tl2'] as const) await lookupsOverBlocks(store, entries, format, sampleIds.slice(0, 1000));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
