/** Blocks of real OTLP traces for compactor tests, and a reader that checks every span is stored once. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import type { BlockMeta, TraceEntry } from '../../../backend/block/block-meta.ts';
import { readBlockMetas } from '../../../backend/block/read-block-metas.ts';
import { compareTraceIds } from '../../../backend/block/trace-id.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { Compactor, type CompactorOptions } from '../../../backend/compactor/compactor.ts';
import { resolveCompactorSettings } from '../../../backend/compactor/compactor-settings.ts';
import type { CompactorConfig, CompactorOverrides } from '../../../backend/compactor/config.ts';
import { storeBlockSource } from '../../../backend/compactor/store-block-source.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { encodeTrace, type SpanSpec } from '../../support/otlp-traces.ts';
import { spanKind } from '../../../backend/block/span-kind.ts';

export const HOUR = 3600_000;
/** "Now" of the tests: 2023-11-14T22:00:00Z, a window boundary for 1h windows. */
export const NOW = 1_700_000_000_000 - (1_700_000_000_000 % HOUR);

export interface TraceSpec {
  /** Trace number: the ID is derived from it. */
  readonly n: number;
  /** Span numbers; span IDs derive from (trace, span). */
  readonly spans: readonly number[];
  /** Unix ms of the trace's spans' end. */
  readonly endMs: number;
  readonly service?: string;
}

export function traceIdHex(n: number): string {
  // Spread IDs over the ID space so blocks overlap in ID range, as real random IDs do.
  const h = (Math.imul(n + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return `${h}${n.toString(16).padStart(24, '0')}`;
}

export function spanIdHex(trace: number, span: number): string {
  return `${(trace & 0xffff).toString(16).padStart(4, '0')}${(span + 1).toString(16).padStart(12, '0')}`;
}

function spansOf(t: TraceSpec): SpanSpec[] {
  const end = BigInt(t.endMs) * 1_000_000n;
  return t.spans.map((s) => ({
    traceId: traceIdHex(t.n), spanId: spanIdHex(t.n, s), name: `op ${s}`, kind: 1 + (s % 3),
    startUnixNano: end - 1_000_000_000n, endUnixNano: end,
  }));
}

export function entryOf(t: TraceSpec): TraceEntry {
  const trace = encodeTrace([{ service: t.service ?? 'svc', scopes: [{ name: 'scope', spans: spansOf(t) }] }]);
  return {
    traceId: Buffer.from(traceIdHex(t.n), 'hex'), trace,
    startUnixNano: (t.endMs - 1000) * 1e6, endUnixNano: t.endMs * 1e6, spanCount: t.spans.length,
  };
}

export interface BlockSpec {
  readonly tenant?: string;
  readonly blockID: string;
  readonly level?: number;
  readonly traces: readonly TraceSpec[];
}

export async function writeTestBlock(store: ObjectStore, spec: BlockSpec): Promise<BlockMeta> {
  const entries = spec.traces.map(entryOf).sort((a, b) => compareTraceIds(a.traceId, b.traceId));
  return writeBlock(store, {
    tenantID: spec.tenant ?? 't1', blockID: spec.blockID, entries, bloomFalsePositive: 0.01,
    compactionLevel: spec.level ?? 0, pageSize: 4 * 1024,
  });
}

/** `count` traces numbered from `first`, each of spans firstSpan.., ending at `endMs` (+1 s per trace). */
export function traces(first: number, count: number, endMs: number, spans = 3, firstSpan = 0): TraceSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    n: first + i, spans: Array.from({ length: spans }, (_, s) => firstSpan + s), endMs: endMs + i * 1000,
  }));
}

/** Every span of the live blocks, per trace ID: `spanId/kind` keys, duplicates kept (so they can be caught). */
export async function spansByTrace(store: ObjectStore, tenant: string, traceNumbers: Iterable<number>): Promise<Map<number, string[]>> {
  const metas = await readBlockMetas(store, tenant);
  const reader = new BlockReader(store);
  const out = new Map<number, string[]>();
  for (const n of traceNumbers) {
    const keys: string[] = [];
    for (const meta of metas) {
      const part = await reader.findTrace(meta, Buffer.from(traceIdHex(n), 'hex'));
      if (part === undefined) continue;
      for (const rs of decodeTraceRequest(part).batch.resourceSpans) {
        for (const ss of rs.scopeSpans) for (const span of ss.spans) keys.push(`${Buffer.from(span.spanId).toString('hex')}/${spanKind(span.bytes)}`);
      }
    }
    out.set(n, keys.sort());
  }
  return out;
}

/** What the fixtures wrote, in the same shape as spansByTrace. */
export function expectedSpans(specs: readonly TraceSpec[]): Map<number, string[]> {
  const out = new Map<number, Set<string>>();
  for (const t of specs) {
    const set = out.get(t.n) ?? new Set<string>();
    for (const s of spansOf(t)) set.add(`${s.spanId}/${s.kind}`);
    out.set(t.n, set);
  }
  return new Map([...out].map(([n, set]) => [n, [...set].sort()]));
}

export interface TempDir {
  readonly store: LocalObjectStore;
  dispose(): Promise<void>;
}

export async function makeTempDir(): Promise<TempDir> {
  const root = await mkdtemp(join(tmpdir(), 'tracelake-compactor-'));
  return { store: new LocalObjectStore(root), dispose: () => rm(root, { recursive: true, force: true }) };
}

export interface TestCompactorOptions extends Partial<Omit<CompactorOptions, 'config'>> {
  readonly store: ObjectStore;
  readonly config?: Partial<CompactorConfig['compaction']>;
  readonly overrides?: CompactorOverrides;
  /** A clock the test moves; default: NOW. */
  readonly clock?: { now: number };
}

export function makeCompactor(options: TestCompactorOptions): Compactor {
  const { config, overrides, clock = { now: NOW }, ...rest } = options;
  return new Compactor({
    logger: pino({ level: 'silent' }),
    metrics: new Registry(),
    now: () => clock.now,
    ...storeBlockSource(options.store),
    ...rest,
    config: resolveCompactorSettings({ compaction: { ...config } as CompactorConfig['compaction'] }, overrides),
  });
}

export async function liveBlocks(store: ObjectStore, tenant = 't1'): Promise<BlockMeta[]> {
  return (await readBlockMetas(store, tenant)).sort((a, b) => (a.blockID < b.blockID ? -1 : 1));
}
