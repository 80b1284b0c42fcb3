import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEntry } from '../../../backend/block/block-meta.ts';
import { compareTraceIds } from '../../../backend/block/trace-id.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';

/** Deterministic bytes (mulberry32), so a failing test fails the same way every run. */
export function makeRandom(seed: number): (n: number) => Uint8Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (n) => Uint8Array.from({ length: n }, () => next() & 0xff);
}

export interface EntryOptions {
  readonly seed?: number;
  /** Unix seconds of the first trace; traces follow one second apart. */
  readonly startSeconds?: number;
  readonly maxTraceBytes?: number;
}

/** `count` traces sorted by ID; payloads are compressible-ish bytes of varying length. */
export function makeEntries(count: number, options: EntryOptions = {}): TraceEntry[] {
  const random = makeRandom(options.seed ?? 1);
  const start = options.startSeconds ?? 1_700_000_000;
  const entries = Array.from({ length: count }, (_, i): TraceEntry => {
    const traceId = random(16);
    const len = 20 + (random(2)[0] * 256 + random(1)[0]) % (options.maxTraceBytes ?? 3000);
    const trace = new TextEncoder().encode(`trace ${i} `.repeat(Math.ceil(len / 10))).subarray(0, len);
    const startUnixNano = (start + i) * 1e9;
    return { traceId, trace, startUnixNano, endUnixNano: startUnixNano + 5e8, spanCount: 1 + (i % 7) };
  });
  return entries.sort((a, b) => compareTraceIds(a.traceId, b.traceId));
}

/** IDs not in `entries` (a different seed: a collision of 128 random bits will not happen). */
export function absentIds(count: number, seed = 999): Uint8Array[] {
  const random = makeRandom(seed);
  return Array.from({ length: count }, () => random(16));
}

export interface TempStore {
  readonly store: LocalObjectStore;
  dispose(): Promise<void>;
}

export async function makeTempStore(): Promise<TempStore> {
  const root = await mkdtemp(join(tmpdir(), 'tracelake-block-'));
  return { store: new LocalObjectStore(root), dispose: () => rm(root, { recursive: true, force: true }) };
}

/** Wraps a store, recording every call (`put key`, `get key`, `getRange key`) in order of completion. */
export class RecordingStore implements ObjectStore {
  readonly calls: string[] = [];
  readonly inner: ObjectStore;
  constructor(inner: ObjectStore) {
    this.inner = inner;
  }
  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }
  async put(key: string, data: Uint8Array) {
    await this.inner.put(key, data);
    this.calls.push(`put ${key}`);
  }
  async get(key: string) {
    const v = await this.inner.get(key);
    this.calls.push(`get ${key}`);
    return v;
  }
  async getRange(key: string, offset: number, length: number) {
    const v = await this.inner.getRange(key, offset, length);
    this.calls.push(`getRange ${key}`);
    return v;
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  listDirs(prefix: string) {
    return this.inner.listDirs(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}
