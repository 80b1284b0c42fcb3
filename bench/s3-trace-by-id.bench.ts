/**
 * Trace by ID over hundreds of blocks in S3: `node bench/s3-trace-by-id.bench.ts [--blocks 300]
 * [--spans-per-block 20000] [--bloom-fp 0.001] [--lookups 300] [--cold-lookups 30] [--concurrency N] [--prefix P] [--keep]`.
 * Writes tl1 blocks of a realistic corpus (bench/block-corpus.ts, fresh trace IDs per block) to the S3 server
 * of `npm run services:up` (TRACELAKE_TEST_S3_ENDPOINT to point elsewhere), then times lookups through
 * loadBlockList + TraceDb + BlockReader: cold (a fresh reader per lookup) and warm, of IDs present and absent,
 * then after BlockReader.preload of every block, and counts the requests each lookup makes (bloom shards,
 * indexes, data pages: bloom false positives).
 * `--prefix` reuses blocks a `--keep` run left there.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { INDEX_NAME, blockObjectKey } from '../backend/block/block-layout.ts';
import type { TraceEntry } from '../backend/block/block-meta.ts';
import { BlockReader } from '../backend/block/block-reader.ts';
import { RowGroupIndex } from '../backend/block/row-group-index.ts';
import { writeBlock } from '../backend/block/write-block.ts';
import { compareTraceIds } from '../backend/block/trace-id.ts';
import { loadBlockList } from '../backend/db/load-block-list.ts';
import { TraceDb } from '../backend/db/trace-db.ts';
import type { ObjectStore } from '../backend/storage/object-store.ts';
import { S3ObjectStore } from '../backend/storage/s3-object-store.ts';
import { makeCorpus, makeRandom } from './block-corpus.ts';

const { values: args } = parseArgs({
  options: {
    blocks: { type: 'string', default: '300' },
    'spans-per-block': { type: 'string', default: '20000' },
    lookups: { type: 'string', default: '300' },
    'cold-lookups': { type: 'string', default: '30' },
    'bloom-fp': { type: 'string', default: '0.001' },
    concurrency: { type: 'string' },
    prefix: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const BLOCKS = Number(args.blocks);
const LOOKUPS = Number(args.lookups);
const COLD_LOOKUPS = Number(args['cold-lookups']);
const CONCURRENCY = args.concurrency === undefined ? undefined : Number(args.concurrency);
const TENANT = 'bench';
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Requests per kind of object, to see what one lookup costs. */
class CountingStore implements ObjectStore {
  readonly inner: ObjectStore;
  counts = { bloom: 0, index: 0, data: 0, meta: 0, bytes: 0 };
  constructor(inner: ObjectStore) {
    this.inner = inner;
  }
  reset(): typeof this.counts {
    const c = this.counts;
    this.counts = { bloom: 0, index: 0, data: 0, meta: 0, bytes: 0 };
    return c;
  }
  #count(key: string, bytes: Uint8Array): Uint8Array {
    const name = key.slice(key.lastIndexOf('/') + 1);
    const kind = name.startsWith('bloom-') ? 'bloom' : name === 'meta.json' ? 'meta' : name === 'index' ? 'index' : 'data';
    this.counts[kind]++;
    this.counts.bytes += bytes.length;
    return bytes;
  }
  put(key: string, data: Uint8Array) { return this.inner.put(key, data); }
  async get(key: string) { return this.#count(key, await this.inner.get(key)); }
  async getRange(key: string, offset: number, length: number) { return this.#count(key, await this.inner.getRange(key, offset, length)); }
  list(prefix: string) { return this.inner.list(prefix); }
  listDirs(prefix: string) { return this.inner.listDirs(prefix); }
  delete(key: string) { return this.inner.delete(key); }
}

/** The corpus again with new random trace IDs, inside the trace bytes too, sorted by ID. */
function withFreshIds(entries: readonly TraceEntry[], random: () => number): TraceEntry[] {
  return entries.map((e) => {
    const id = Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256));
    const trace = Buffer.from(e.trace);
    const old = Buffer.from(e.traceId);
    for (let at = trace.indexOf(old); at >= 0; at = trace.indexOf(old, at + 16)) trace.set(id, at);
    return { ...e, traceId: id, trace: new Uint8Array(trace.buffer, trace.byteOffset, trace.length) };
  }).sort((a, b) => compareTraceIds(a.traceId, b.traceId));
}

async function writeBlocks(store: ObjectStore, spansPerBlock: number): Promise<void> {
  const base = makeCorpus(spansPerBlock, 7).entries;
  const random = makeRandom(42);
  const began = performance.now();
  let bytes = 0;
  for (let b = 0; b < BLOCKS; b += 8) {
    const batch = Array.from({ length: Math.min(8, BLOCKS - b) }, (_, i) => {
      const entries = withFreshIds(base, random);
      return writeBlock(store, { tenantID: TENANT, blockID: `block-${String(b + i).padStart(5, '0')}`, entries, bloomFalsePositive: Number(args['bloom-fp']) });
    });
    for (const meta of await Promise.all(batch)) bytes += meta.size;
    if ((b / 8) % 5 === 0) process.stderr.write(`  wrote ${Math.min(b + 8, BLOCKS)}/${BLOCKS} blocks\r`);
  }
  out(`wrote ${BLOCKS} blocks (${base.length} traces, ${(bytes / BLOCKS / 1e6).toFixed(2)} MB of data each) in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

/** Present IDs from the middle of the ID space: first and last IDs of pages, read from the blocks' indexes. */
async function presentIds(store: ObjectStore, wanted: number): Promise<Uint8Array[]> {
  const ids: Uint8Array[] = [];
  const blocks = (await loadBlockList(store)).forTenant(TENANT);
  const random = makeRandom(3);
  for (let i = 0; ids.length < wanted; i++) {
    const meta = blocks[Math.floor(random() * blocks.length)]!;
    const index = new RowGroupIndex(await store.get(blockObjectKey(TENANT, meta.blockID, INDEX_NAME)));
    const group = index.group(Math.floor(random() * index.groupCount));
    ids.push(group.firstId.slice(), group.lastId.slice());
  }
  return ids.slice(0, wanted);
}

interface Stats { ms: number[]; found: number; counts: CountingStore['counts'][] }

function report(label: string, s: Stats): void {
  const ms = [...s.ms].sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]!.toFixed(1);
  const mean = (k: keyof CountingStore['counts']) => (s.counts.reduce((a, c) => a + c[k], 0) / s.counts.length);
  out(`${label.padEnd(22)} n=${String(ms.length).padStart(4)}  found ${String(s.found).padStart(4)}  ` +
    `p50 ${at(50).padStart(6)} ms  p99 ${at(99).padStart(6)} ms  max ${ms.at(-1)!.toFixed(1).padStart(6)} ms  ` +
    `per lookup: bloom ${mean('bloom').toFixed(1)}, index ${mean('index').toFixed(2)}, pages ${mean('data').toFixed(2)}, ` +
    `${(mean('bytes') / 1024).toFixed(0)} KiB`);
}

async function timeLookups(ids: readonly Uint8Array[], counting: CountingStore, db: () => TraceDb): Promise<Stats> {
  const stats: Stats = { ms: [], found: 0, counts: [] };
  for (const id of ids) {
    const traceDb = db();
    counting.reset();
    const t = performance.now();
    const parts = await traceDb.findTraceById(TENANT, id);
    stats.ms.push(performance.now() - t);
    stats.counts.push(counting.reset());
    if (parts.length > 0) stats.found++;
  }
  return stats;
}

async function main(): Promise<void> {
  const endpoint = process.env.TRACELAKE_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9000';
  const prefix = args.prefix ?? `bench/s3-trace-by-id-${Date.now().toString(36)}`;
  const s3 = new S3ObjectStore({
    bucket: 'tracelake', endpoint, region: 'us-east-1', forcePathStyle: true, prefix,
    credentials: { accessKeyId: 'tracelake', secretAccessKey: 'tracelake-secret' },
  });
  const counting = new CountingStore(s3);
  out(`S3 ${endpoint}, bucket tracelake, prefix ${prefix}; Node ${process.version}`);
  try {
    const existing = (await s3.listDirs(`${TENANT}/`)).length;
    if (existing === 0) await writeBlocks(s3, Number(args['spans-per-block']));
    else out(`reusing ${existing} blocks under ${prefix}`);

    let t = performance.now();
    const blocks = await loadBlockList(counting);
    out(`loadBlockList: ${blocks.forTenant(TENANT).length} blocks in ${(performance.now() - t).toFixed(0)} ms (${counting.reset().meta} meta.json reads)`);
    const present = await presentIds(s3, LOOKUPS);
    const absent = Array.from({ length: LOOKUPS }, () => new Uint8Array(randomBytes(16)));
    const options = { blocks, ...(CONCURRENCY === undefined ? {} : { concurrency: CONCURRENCY }) };

    const cold = () => new TraceDb({ ...options, reader: new BlockReader(counting) });
    report('cold, present', await timeLookups(present.slice(0, COLD_LOOKUPS), counting, cold));
    report('cold, absent', await timeLookups(absent.slice(0, COLD_LOOKUPS), counting, cold));

    // What a querier would do when it learns of blocks (start-up, poll): fetch their blooms and indexes once.
    const reader = new BlockReader(counting);
    t = performance.now();
    const preloaded = await reader.preload(blocks.forTenant(TENANT), { concurrency: CONCURRENCY ?? 16 });
    const fetched = counting.reset();
    out(`preload: ${preloaded.loaded} objects (${fetched.bloom} bloom shards, ${fetched.index} indexes, ` +
      `${(fetched.bytes / 1e6).toFixed(1)} MB) in ${(performance.now() - t).toFixed(0)} ms; skipped ${preloaded.skipped}, failed ${preloaded.failed}`);
    const warmDb = new TraceDb({ ...options, reader });
    report('preloaded, present', await timeLookups(present, counting, () => warmDb));
    report('preloaded, absent', await timeLookups(absent, counting, () => warmDb));
    report('again, present', await timeLookups(present, counting, () => warmDb));
  } finally {
    if (!args.keep && args.prefix === undefined) {
      const keys = await s3.list('');
      for (let i = 0; i < keys.length; i += 64) await Promise.all(keys.slice(i, i + 64).map((k) => s3.delete(k)));
      out(`removed ${keys.length} objects under ${prefix}`);
    }
    s3.close();
  }
}

await main();
