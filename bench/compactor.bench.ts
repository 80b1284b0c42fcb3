/**
 * Compactor benchmark: `node bench/compactor.bench.ts [--blocks 20] [--spans 50000] [--levels 3,6]
 * [--duplicates 0] [--max-input-blocks 8] [--keep]`.
 *
 * Writes `--blocks` level-0 blocks of `--spans` spans each from the realistic corpus of block-corpus.ts, cut
 * the way an ingester cuts them (round robin by trace: every block spans the whole trace ID space, all in
 * one compaction window), at the ingest zstd level 3. `--duplicates F` also writes a fraction F of each
 * block's traces into the next block, as a WAL replay would. Then, for each compactor zstd level in
 * `--levels`, a child process runs compaction cycles over a copy of those blocks until nothing is left to
 * merge, and reports: spans merged per CPU-second (one core) and per wall second, the child's peak RSS
 * (its own VmHWM: the parent's corpus does not count), and bytes per span at rest before / after (live
 * blocks' objects: data, index, bloom, meta).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { TraceEntry } from '../backend/block/block-meta.ts';
import { readBlockMetas } from '../backend/block/read-block-metas.ts';
import { writeBlock } from '../backend/block/write-block.ts';
import { Compactor } from '../backend/compactor/compactor.ts';
import { resolveCompactorSettings } from '../backend/compactor/compactor-settings.ts';
import { storeBlockSource } from '../backend/compactor/store-block-source.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { makeCorpus } from './block-corpus.ts';

const TENANT = 'bench';
const BASE_SECONDS = 1_700_000_000 - (1_700_000_000 % 3600) + 60; // corpus in the first minutes of one hour window
const out = (line: string) => process.stdout.write(`${line}\n`);

interface ChildResult {
  cycles: { compactions: number; inputSpans: number; outputSpans: number; wallMs: number; cpuMs: number }[];
  maxRssKiB: number;
}

async function atRest(store: LocalObjectStore): Promise<{ bytes: number; spans: number; blocks: number }> {
  const metas = await readBlockMetas(store, TENANT);
  let bytes = 0;
  for (const meta of metas) {
    for (const key of await store.list(`${TENANT}/${meta.blockID}/`)) bytes += (await store.get(key)).length;
  }
  return { bytes, spans: metas.reduce((n, m) => n + m.totalSpans, 0), blocks: metas.length };
}

/** Round robin by trace, plus a fraction of each block's traces again in the next block. */
function cutBlocks(entries: readonly TraceEntry[], blocks: number, duplicates: number): TraceEntry[][] {
  const cut: TraceEntry[][] = Array.from({ length: blocks }, () => []);
  entries.forEach((e, i) => cut[i % blocks].push(e));
  if (duplicates <= 0) return cut;
  const every = Math.max(1, Math.round(1 / duplicates));
  return cut.map((mine, b) => {
    const prev = cut[(b + blocks - 1) % blocks].filter((_, i) => i % every === 0);
    return [...mine, ...prev].sort((x, y) => Buffer.compare(x.traceId, y.traceId));
  });
}

async function prepare(dir: string, options: { blocks: number; spans: number; duplicates: number }): Promise<number> {
  const corpus = makeCorpus(options.blocks * options.spans, 1, BASE_SECONDS);
  const store = new LocalObjectStore(dir);
  const cut = cutBlocks(corpus.entries, options.blocks, options.duplicates);
  for (const [b, entries] of cut.entries()) {
    await writeBlock(store, { tenantID: TENANT, blockID: `l0-${String(b).padStart(3, '0')}`, entries, bloomFalsePositive: 0.01 });
  }
  return corpus.spans;
}

function runChild(dir: string, zstd: number, maxInputBlocks: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1], '--run', dir, '--zstd', String(zstd), '--max-input-blocks', String(maxInputBlocks)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as ChildResult) : reject(new Error(`child exited with ${code}`))));
  });
}

/** In the child: compaction cycles until one merges nothing. */
async function compactAll(dir: string, zstd: number, maxInputBlocks: number): Promise<void> {
  const store = new LocalObjectStore(dir);
  const compactor = new Compactor({
    store, logger: pino({ level: 'silent' }), metrics: new Registry(), ...storeBlockSource(store),
    config: resolveCompactorSettings({ compaction: { zstd_level: zstd, max_input_blocks: maxInputBlocks } as never }),
    now: () => (BASE_SECONDS + 600) * 1000,
  });
  const result: ChildResult = { cycles: [], maxRssKiB: 0 };
  for (;;) {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const report = await compactor.runOnce();
    if (report.errors > 0) throw new Error(`compaction cycle had ${report.errors} errors`);
    if (report.compactions.length === 0) break;
    const used = process.cpuUsage(cpu);
    result.cycles.push({
      compactions: report.compactions.length,
      inputSpans: report.compactions.reduce((n, c) => n + c.inputSpans, 0),
      outputSpans: report.compactions.reduce((n, c) => n + c.outputSpans, 0),
      wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000,
    });
  }
  // VmHWM, not getrusage's maxrss: after fork + exec the latter still counts the parent's (corpus-sized) RSS.
  const status = await readFile('/proc/self/status', 'utf8');
  result.maxRssKiB = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? process.resourceUsage().maxRSS);
  process.stdout.write(JSON.stringify(result));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      run: { type: 'string' }, zstd: { type: 'string', default: '6' }, blocks: { type: 'string', default: '20' },
      spans: { type: 'string', default: '50000' }, levels: { type: 'string', default: '3,6' },
      duplicates: { type: 'string', default: '0' }, 'max-input-blocks': { type: 'string', default: '8' }, keep: { type: 'boolean', default: false },
    },
  });
  const maxInputBlocks = Number(values['max-input-blocks']);
  if (values.run !== undefined) return compactAll(values.run, Number(values.zstd), maxInputBlocks);

  const root = await mkdtemp(join(tmpdir(), 'tracelake-compactor-bench-'));
  try {
    const source = join(root, 'source');
    const t = performance.now();
    const spans = await prepare(source, { blocks: Number(values.blocks), spans: Number(values.spans), duplicates: Number(values.duplicates) });
    const before = await atRest(new LocalObjectStore(source));
    out(`input: ${before.blocks} level-0 blocks, ${before.spans.toLocaleString('en')} spans stored (${spans.toLocaleString('en')} distinct), zstd 3, written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    out(`       ${(before.bytes / spans).toFixed(1)} B/span at rest (${before.bytes.toLocaleString('en')} B)`);
    out('\nzstd  cycles  spans merged  spans/CPU-s  spans/s wall  peak RSS  blocks after  B/span after  dropped duplicates');
    for (const level of values.levels!.split(',').map(Number)) {
      const dir = join(root, `zstd-${level}`);
      await cp(source, dir, { recursive: true });
      const r = await runChild(dir, level, maxInputBlocks);
      const after = await atRest(new LocalObjectStore(dir));
      const merged = r.cycles.reduce((n, c) => n + c.inputSpans, 0);
      const cpuS = r.cycles.reduce((n, c) => n + c.cpuMs, 0) / 1000;
      const wallS = r.cycles.reduce((n, c) => n + c.wallMs, 0) / 1000;
      const dropped = r.cycles.reduce((n, c) => n + c.inputSpans - c.outputSpans, 0);
      if (after.spans !== spans) throw new Error(`after compaction ${after.spans} spans are stored, expected ${spans}`);
      out(`${String(level).padStart(4)}  ${String(r.cycles.length).padStart(6)}  ${merged.toLocaleString('en').padStart(12)}  ${Math.round(merged / cpuS).toLocaleString('en').padStart(11)}  ${Math.round(merged / wallS).toLocaleString('en').padStart(12)}  ${(r.maxRssKiB / 1024).toFixed(0).padStart(4)} MiB  ${String(after.blocks).padStart(12)}  ${(after.bytes / spans).toFixed(1).padStart(12)}  ${dropped.toLocaleString('en').padStart(18)}`);
    }
  } finally {
    if (values.keep) out(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

await main();
