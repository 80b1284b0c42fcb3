/**
 * Search over blocks in a local folder: the generated corpus of the search tests (several services, kinds,
 * statuses and attribute types) written as blocks of 10,000 traces, then a few TraceQL queries through
 * TraceSearch with the block source, timed (wall and CPU).
 *
 *   node bench/search.bench.ts [traces, default 30000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { TraceEntry } from '../backend/block/block-meta.ts';
import { compareTraceIds } from '../backend/block/trace-id.ts';
import { writeBlock } from '../backend/block/write-block.ts';
import { BlockList } from '../backend/db/block-list.ts';
import { BlockSearchSource } from '../backend/querier/block-search-source.ts';
import { parseSearchRequest } from '../backend/search/search-request.ts';
import { TraceSearch } from '../backend/search/trace-search.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { decodeTraceRequest } from '../pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf } from '../pipeline/otlp/json.ts';
import { generateCorpus, otlpJsonRequest, type CorpusSpan } from '../test/integration/search/search-corpus.ts';

const TRACES = Number(process.argv[2] ?? 30_000);
const PER_BLOCK = 10_000;
const QUERIES: readonly (readonly [string, number])[] = [
  ['{ span.http.status_code = 503 }', 1_000_000],
  ['{ resource.service.name = "x" && duration > 10ms }', 1_000_000],
  ['{ status = error } | count() > 1', 1_000_000],
  ['{ span.http.status_code = 503 }', 20],
];

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
  const search = new TraceSearch({ sources: [new BlockSearchSource({ blocks, store })], logger: pino({ level: 'silent' }) });
  for (const [q, limit] of QUERIES) {
    const request = parseSearchRequest(new URLSearchParams({ q, limit: String(limit) }));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await search.search('t', request);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(`  ${q}  limit ${limit}: ${res.traces?.length ?? 0} traces in ${(seconds * 1000).toFixed(0)} ms; ` +
      `${Math.round(spans / cpuSeconds).toLocaleString('en-US')} spans/CPU-s; ` +
      `${(Number(res.metrics.inspectedBytes ?? 0) / 1e6 / seconds).toFixed(1)} MB/s of OTLP read`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
