/**
 * Tag names and values over the search-at-scale corpus (scale-corpus.ts, cached on disk): what Grafana asks
 * when the search tab opens (`/api/v2/search/tags?limit=5000`) and on a value picker
 * (`/api/v2/search/tag/<id>/values?limit=5000`), answered by TagSearch over every block (newest first):
 * latency (first run with the index cache cold, then p50 of warm runs), spans covered per second, bytes read.
 * The reference path (every trace decoded, BlockSearchSource) runs once per request for comparison and must
 * give the same answer.
 *
 *   node bench/tags.bench.ts [--spans 2000000] [--per-block 500000] [--dir /tmp/tracelake-search-2m] [--runs 5] [--no-reference]
 */
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { readBlockMetas } from '../backend/block/read-block-metas.ts';
import { BlockList } from '../backend/db/block-list.ts';
import { BlockSearchSource } from '../backend/querier/block-search-source.ts';
import { tagFilter } from '../backend/search/tag-filter.ts';
import { parseTagIdentifier } from '../backend/search/tag-identifier.ts';
import { TagSearch } from '../backend/search/tag-search.ts';
import type { TagScan } from '../backend/search/tag-service.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { percentile } from './otlp-load.ts';
import { blocksDirOf, ensureScaleCorpus } from './scale-corpus.ts';
import { corpusRange } from './scale-search-queries.ts';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '2000000' }, 'per-block': { type: 'string', default: '500000' },
    dir: { type: 'string' }, runs: { type: 'string', default: '5' }, 'no-reference': { type: 'boolean', default: false },
  },
});
const spans = Number(values.spans);
const dir = values.dir ?? `/tmp/tracelake-search-${spans >= 1e6 ? `${spans / 1e6}m` : `${spans / 1e3}k`}`;
const runs = Number(values.runs);
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const manifest = await ensureScaleCorpus(dir, { spans, spansPerBlock: Number(values['per-block']), seed: 1, windowSeconds: 6 * 3600 }, (l) => console.log(l));
const store = new LocalObjectStore(blocksDirOf(dir));
const list = new BlockList();
for (const meta of await readBlockMetas(store, manifest.tenant)) list.add(meta);
const logger = pino({ level: 'silent' });
const columns = new TagSearch({ sources: [], blocks: { list, store }, logger });
const reference = new TagSearch({ sources: [new BlockSearchSource({ blocks: list, store })], logger });
console.log(`tags: ${fmt(manifest.totalSpans)} spans in ${manifest.blockIDs.length} blocks, ${fmt(manifest.dataBytes / 1e6, 1)} MB of block data; Node ${process.version}`);

const whole = corpusRange(manifest);
const lastHour = { start: manifest.baseUnixSeconds + manifest.windowSeconds - 3600, end: manifest.baseUnixSeconds + manifest.windowSeconds + 600 };
const LIMIT = 5000;
type Ask = (service: TagSearch) => Promise<{ inspectedBytes: number; size: number; answer: unknown }>;
const names = (scan: TagScan): Ask => async (s) => {
  const a = await s.tagNames(manifest.tenant, scan);
  return { inspectedBytes: a.inspectedBytes, size: Object.values(a.names).reduce((n, v) => n + v.length, 0), answer: a.names };
};
const tagValues = (id: string, scan: TagScan): Ask => async (s) => {
  const a = await s.tagValues(manifest.tenant, parseTagIdentifier(id), scan);
  return { inspectedBytes: a.inspectedBytes, size: a.values.length, answer: a.values };
};
const scan = (range: TagScan['range'], q = ''): TagScan => ({ filter: tagFilter(q), range, limit: LIMIT });

const requests: [string, Ask][] = [
  ['names, whole window', names(scan(whole))],
  ['names, last hour', names(scan(lastHour))],
  ['values resource.service.name', tagValues('resource.service.name', scan(whole))],
  ['values span.http.status_code', tagValues('span.http.status_code', scan(whole))],
  ['values name', tagValues('name', scan(whole))],
  ['values span.url.path (high cardinality)', tagValues('span.url.path', scan(whole))],
  ['values span.http.route, q={ resource.service.name = "frontend" }', tagValues('span.http.route', scan(whole, '{ resource.service.name = "frontend" }'))],
];

for (const [label, ask] of requests) {
  const times: number[] = [];
  let last: Awaited<ReturnType<Ask>> | undefined;
  let cold = 0;
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    last = await ask(columns);
    const ms = performance.now() - t0;
    if (r === 0) cold = ms;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  // A request that reached the limit stopped early: spans per second would not say how fast it reads.
  const rate = last!.size >= LIMIT ? 'stopped at the limit' : `${fmt(manifest.totalSpans / (p50 / 1000) / 1e6, 1)}M spans/s`;
  let line = `${label.padEnd(66)} ${fmt(last!.size).padStart(6)} entries  cold ${fmt(cold).padStart(6)} ms  warm p50 ${fmt(p50).padStart(6)} ms ` +
    `(${rate})  read ${fmt(last!.inspectedBytes / 1e6, 1)} MB`;
  if (!values['no-reference']) {
    const t0 = performance.now();
    const ref = await ask(reference);
    const ms = performance.now() - t0;
    const same = ref.size <= LIMIT && last!.size < LIMIT;
    if (same) assert.deepEqual(last!.answer, ref.answer, label);
    line += `  | reference ${fmt(ms)} ms (${fmt(manifest.totalSpans / (ms / 1000) / 1e3)}k spans/s)${same ? ', same answer' : ', limit reached: not compared'}`;
  }
  console.log(line);
}
