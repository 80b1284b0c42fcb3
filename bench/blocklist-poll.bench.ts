/**
 * Block-list poll cost: `node bench/blocklist-poll.bench.ts [--blocks 1000] [--store local|s3|both] [--runs 5]`.
 * One tenant of N blocks (meta.json, data, index, 2 bloom shards each; tiny objects: only names and metas
 * matter here), then the time and object-store requests of one poll per way of building the list.
 * `s3` needs the S3 server of `npm run services:up` (TRACELAKE_TEST_S3_ENDPOINT, default :9000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadBlockList } from '../backend/db/load-block-list.ts';
import { BlocklistPoller } from '../backend/db/blocklist-poller.ts';
import { tenantIndexKey } from '../backend/db/tenant-index.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import type { ObjectStore } from '../backend/storage/object-store.ts';
import { S3ObjectStore } from '../backend/storage/s3-object-store.ts';
import { mapBounded } from '../backend/block/map-bounded.ts';
import type { BlockMeta } from '../backend/block/block-meta.ts';

const TENANT = 'bench';
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Counts requests by kind, so each way of polling shows what it asks of the store. */
class Counted implements ObjectStore {
  readonly inner: ObjectStore;
  n = { list: 0, listDirs: 0, get: 0, put: 0 };
  constructor(inner: ObjectStore) {
    this.inner = inner;
  }
  put(k: string, d: Uint8Array) { this.n.put++; return this.inner.put(k, d); }
  get(k: string) { this.n.get++; return this.inner.get(k); }
  getRange(k: string, o: number, l: number) { return this.inner.getRange(k, o, l); }
  list(p: string) { this.n.list++; return this.inner.list(p); }
  listDirs(p: string) { this.n.listDirs++; return this.inner.listDirs(p); }
  delete(k: string) { return this.inner.delete(k); }
}

function meta(i: number): BlockMeta {
  const start = Date.parse('2024-01-01T00:00:00Z') + i * 60_000;
  return {
    format: 'tl1', blockID: `${randomUUID()}`, tenantID: TENANT, startTime: new Date(start).toISOString(),
    endTime: new Date(start + 300_000).toISOString(), totalObjects: 20_000, totalSpans: 200_000, size: 50_000_000,
    dataEncoding: 'zstd', bloomShards: 2, minID: '0'.repeat(32), maxID: 'f'.repeat(32), compactionLevel: 0,
  };
}

async function fill(store: ObjectStore, blocks: number): Promise<void> {
  const one = new Uint8Array(1);
  await mapBounded(Array.from({ length: blocks }, (_, i) => meta(i)), 32, async (m) => {
    const key = (name: string) => `${TENANT}/${m.blockID}/${name}`;
    await Promise.all(['data', 'index', 'bloom-0', 'bloom-1'].map((n) => store.put(key(n), one)));
    await store.put(key('meta.json'), new TextEncoder().encode(JSON.stringify(m)));
  });
}

async function timed(runs: number, prepare: () => Promise<Counted>, poll: (s: Counted) => Promise<unknown>) {
  const ms: number[] = [];
  let counts = { list: 0, listDirs: 0, get: 0, put: 0 };
  for (let r = 0; r < runs; r++) {
    const store = await prepare();
    store.n = { list: 0, listDirs: 0, get: 0, put: 0 };
    const t = performance.now();
    await poll(store);
    ms.push(performance.now() - t);
    counts = store.n;
  }
  ms.sort((a, b) => a - b);
  const requests = `LIST ${counts.list}, LIST-dirs ${counts.listDirs}, GET ${counts.get}, PUT ${counts.put}`;
  return `median ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(8)} ms  (min ${ms[0].toFixed(1)})   ${requests}`;
}

async function bench(name: string, raw: ObjectStore, blocks: number, runs: number): Promise<void> {
  out(`\n${name}: ${blocks} blocks in one tenant, ${blocks * 5} objects; ${runs} runs each`);
  let t = performance.now();
  await fill(raw, blocks);
  out(`  (writing them took ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const base = { logger: pino({ level: 'silent' }), metrics: new Registry() };
  const store = new Counted(raw);
  const poller = (mode: 'builder' | 'reader', s: ObjectStore) => new BlocklistPoller({ ...base, store: s, mode });
  const dropIndex = async () => { await raw.delete(tenantIndexKey(TENANT)); return store; };
  const withIndex = async () => { await poller('builder', raw).pollOnce(); return store; };

  const rows: [string, () => Promise<Counted>, (s: Counted) => Promise<unknown>][] = [
    ['loadBlockList (old: list dirs, GET every meta.json)', async () => store, (s) => loadBlockList(s)],
    ['builder, cold (no index, nothing known)', dropIndex, (s) => poller('builder', s).pollOnce()],
    ['builder, restarted (index seeds the known metas)', withIndex, (s) => poller('builder', s).pollOnce()],
    ['reader, index', withIndex, (s) => poller('reader', s).pollOnce()],
    ['reader, index missing → lists like a cold builder', dropIndex, (s) => poller('reader', s).pollOnce()],
  ];
  for (const [label, prepare, poll] of rows) out(`  ${label.padEnd(52)} ${await timed(runs, prepare, poll)}`);

  const warm = poller('builder', store);
  await warm.pollOnce();
  out(`  ${'builder, steady state (every meta known)'.padEnd(52)} ${await timed(runs, async () => store, () => warm.pollOnce())}`);
  t = performance.now();
  const bytes = (await raw.get(tenantIndexKey(TENANT))).length;
  out(`  index.json.gz: ${bytes.toLocaleString('en-US')} B (${(bytes / blocks).toFixed(0)} B per block); read in ${(performance.now() - t).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { blocks: { type: 'string', default: '1000' }, store: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '5' } } });
  const blocks = Number(values.blocks);
  const runs = Number(values.runs);
  if (values.store !== 's3') {
    const root = await mkdtemp(join(tmpdir(), 'tracelake-poll-bench-'));
    try {
      await bench('local folder', new LocalObjectStore(root), blocks, runs);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  if (values.store !== 'local') {
    const endpoint = process.env.TRACELAKE_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9000';
    const s3 = new S3ObjectStore({ bucket: 'tracelake', endpoint, region: 'us-east-1', forcePathStyle: true,
      credentials: { accessKeyId: 'tracelake', secretAccessKey: 'tracelake-secret' }, prefix: `bench-poll-${randomUUID()}` });
    try {
      await bench(`S3 (${endpoint})`, s3, blocks, runs);
    } finally {
      await mapBounded(await s3.list(''), 32, (k) => s3.delete(k));
      s3.close();
    }
  }
}

await main();
