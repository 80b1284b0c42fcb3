/**
 * Search over blocks in a local folder: the generated corpus of the search tests (several services, kinds,
 * statuses and attribute types) written as tl2 blocks of 10,000 traces, then per TraceQL query `scanBlock`
 * over every block (column-pruned scan: candidates' spans read from the columns, matched by the column
 * verdicts when the query starts with an exact span filter, else by the engine), timed: spans scanned per
 * CPU-second, MB of block data read per CPU-second, matches (best of 5 runs per query).
 *
 *   node bench/search.bench.ts [traces, default 30000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BlockMeta, TraceEntry } from '../backend/block/block-meta.ts';
import { compareTraceIds } from '../backend/block/trace-id.ts';
import { writeBlock } from '../backend/block/write-block.ts';
import { BlockList } from '../backend/db/block-list.ts';
import { parseSearchRequest } from '../backend/search/search-request.ts';
import { scanBlock, type ScanStats } from '../backend/search/scan-block.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { decodeTraceRequest } from '../pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf } from '../pipeline/otlp/json.ts';
import { generateCorpus, otlpJsonRequest, type CorpusSpan } from '../test/integration/search/search-corpus.ts';

const TRACES = Number(process.argv[2] ?? 30_000);
const PER_BLOCK = 10_000;
const QUERIES: readonly (readonly [string, number])[] = [
  ['{ span.http.status_code = 503 }', 1_000_000],
  ['{ resource.service.name = "x" }', 1_000_000],
  ['{ resource.service.name = "x" && duration > 10ms }', 1_000_000],
  ['{ status = error } | count() > 1', 1_000_000],
  ['{ span.http.status_code = 503 && name = "render" && kind = server && status = error }', 1_000_000],
  ['{ span.foo = "none" }', 1_000_000],
  // No span lasts 2 s: every row group is ruled out by its summary (index version 2), no data is read.
  ['{ duration > 2s }', 1_000_000],
  ['{ span.http.status_code = 503 }', 20],
];

const RUNS = 5;

/** scanBlock over every block until `limit` matches, RUNS times; the run with the least CPU is shown. */
async function timeScan(store: LocalObjectStore, metas: readonly BlockMeta[], q: string, limit: number): Promise<void> {
  const { query } = parseSearchRequest(new URLSearchParams({ q }));
  let best: { cpuSeconds: number; seconds: number; matches: number; stats: ScanStats } | undefined;
  for (let run = 0; run < RUNS; run++) {
    const stats: ScanStats = { inspectedTraces: 0, inspectedSpans: 0, inspectedBytes: 0 };
    let matches = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const meta of metas) {
      if (matches >= limit) break;
      const s = await scanBlock(store, meta, { query }, () => ++matches >= limit);
      stats.inspectedTraces += s.inspectedTraces;
      stats.inspectedSpans += s.inspectedSpans;
      stats.inspectedBytes += s.inspectedBytes;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (best === undefined || cpuSeconds < best.cpuSeconds) best = { cpuSeconds, seconds, matches, stats };
  }
  const { cpuSeconds, seconds, matches, stats } = best!;
  console.log(`  ${q}  limit ${limit}: ${matches} of ${stats.inspectedTraces} traces matched in ${(seconds * 1000).toFixed(0)} ms; ` +
    `${stats.inspectedSpans} spans, ${Math.round(stats.inspectedSpans / cpuSeconds).toLocaleString('en-US')} spans/CPU-s; ` +
    `${(stats.inspectedBytes / 1e6).toFixed(2)} MB read, ${(stats.inspectedBytes / 1e6 / cpuSeconds).toFixed(1)} MB/CPU-s`);
}

function entryOf(spans: readonly CorpusSpan[]): TraceEntry {
  const trace = otlpJsonToProtobuf(otlpJsonRequest(spans));
  let start = Infinity;
  let end = -Infinity;
  for (const rs of decodeTraceRequest(trace).batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        start = Math.min(start, s.startUnixNano);
        end = Math.max(end, s.endUnixNano);
      }
    }
  }
  return { traceId: Buffer.from(spans[0]!.traceId, 'hex'), trace, startUnixNano: start, endUnixNano: end, spanCount: spans.length };
}

const dir = await mkdtemp(path.join(tmpdir(), 'tracelake-search-bench-'));
try {
  const store = new LocalObjectStore(dir);
  const blocks = new BlockList();
  const corpus = generateCorpus({ traces: TRACES, seed: 1, nowMs: Date.now() });
  const spans = corpus.reduce((n, t) => n + t.length, 0);
  for (let b = 0; b * PER_BLOCK < corpus.length; b++) {
    const entries = corpus.slice(b * PER_BLOCK, (b + 1) * PER_BLOCK).map(entryOf).sort((x, y) => compareTraceIds(x.traceId, y.traceId));
    const blockID = `00000000-0000-0000-0000-${String(b).padStart(12, '0')}`;
    blocks.add(await writeBlock(store, { tenantID: 't', blockID, entries, bloomFalsePositive: 0.01 }));
  }
  const metas = blocks.forTenant('t');
  const atRest = metas.reduce((n, m) => n + m.size, 0);
  console.log(`search bench: ${TRACES} traces, ${spans} spans, ${metas.length} blocks, ${(atRest / 1e6).toFixed(1)} MB of data; Node ${process.version}`);
  // Best of RUNS per query: a warm process (compiled code, parsed indexes cached), the least disturbed run.
  for (const [q, limit] of QUERIES) await timeScan(store, metas, q, limit);
} finally {
  await rm(dir, { recursive: true, force: true });
}
