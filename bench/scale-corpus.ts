/**
 * The search-at-scale corpus on disk: blocks of varied traces (scale-trace-generator.ts) written as tl2
 * blocks with the streaming block writer into `<dir>/blocks/<tenant>/`, and a manifest (written last) with
 * the parameters and the match counts counted while generating. Kept between runs: regenerated only when the
 * manifest is missing or was made with other parameters.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlockMeta } from '../backend/block/block-meta.ts';
import { StreamingBlockWriter } from '../backend/block/streaming-block-writer.ts';
import { writeBlockMeta } from '../backend/block/write-block-meta.ts';
import { LocalObjectStore } from '../backend/storage/local-object-store.ts';
import { makeRandom } from './block-corpus.ts';
import { ScaleTraceGenerator, type TraceFacts } from './scale-trace-generator.ts';

export const SCALE_TENANT = 'single-tenant';
/** Traces start in a fixed window so that cached blocks mean the same thing on every run. */
const BASE_UNIX_SECONDS = 1_798_761_600; // 2027-01-01T00:00:00Z
const MANIFEST_VERSION = 1;

export interface ScaleCorpusOptions {
  readonly spans: number;
  readonly spansPerBlock: number;
  readonly seed: number;
  /** Seconds the traces' start times cover; each block gets one slice of it. */
  readonly windowSeconds: number;
}

export interface ScaleCorpusManifest extends ScaleCorpusOptions {
  readonly version: number;
  readonly baseUnixSeconds: number;
  readonly tenant: string;
  readonly blockIDs: readonly string[];
  readonly traces: number;
  readonly totalSpans: number;
  /** Bytes of the blocks' data objects. */
  readonly dataBytes: number;
  /** Bytes of OTLP protobuf the traces were generated as. */
  readonly otlpBytes: number;
  /** Traces for which each fact holds. */
  readonly counts: Readonly<Record<keyof TraceFacts, number>>;
  readonly generationSeconds: number;
}

/** The blocks folder (a LocalObjectStore root: `<tenant>/<blockID>/…` under it). */
export function blocksDirOf(dir: string): string {
  return path.join(dir, 'blocks');
}

/** The manifest of the corpus in `dir`, generating it first when missing or different. */
export async function ensureScaleCorpus(dir: string, options: ScaleCorpusOptions, log: (line: string) => void): Promise<ScaleCorpusManifest> {
  const manifestPath = path.join(dir, 'manifest.json');
  const cached = await readFile(manifestPath, 'utf8').then((t) => JSON.parse(t) as ScaleCorpusManifest, () => undefined);
  if (cached !== undefined && cached.version === MANIFEST_VERSION && cached.spans === options.spans &&
      cached.spansPerBlock === options.spansPerBlock && cached.seed === options.seed && cached.windowSeconds === options.windowSeconds) {
    log(`corpus: reusing ${dir} (${cached.totalSpans.toLocaleString('en-US')} spans in ${cached.blockIDs.length} blocks)`);
    return cached;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const manifest = await generate(dir, options, log);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return manifest;
}

async function generate(dir: string, options: ScaleCorpusOptions, log: (line: string) => void): Promise<ScaleCorpusManifest> {
  const t0 = performance.now();
  const store = new LocalObjectStore(blocksDirOf(dir));
  const generator = new ScaleTraceGenerator(options.seed);
  const random = makeRandom(options.seed + 1);
  const blocks = Math.ceil(options.spans / options.spansPerBlock);
  const sliceNs = BigInt(Math.floor((options.windowSeconds * 1e9) / blocks));
  const counts = { has503: 0, slowCheckout: 0, hasError: 0 };
  const blockIDs: string[] = [];
  let traces = 0;
  let totalSpans = 0;
  let dataBytes = 0;
  let otlpBytes = 0;
  for (let b = 0; b < blocks; b++) {
    const blockID = `5ca1e000-0000-4000-8000-${String(b).padStart(12, '0')}`;
    const writer = new StreamingBlockWriter(store, { tenantID: SCALE_TENANT, blockID, bloomFalsePositive: 0.001 });
    const sliceStart = BigInt(BASE_UNIX_SECONDS) * 1_000_000_000n + BigInt(b) * sliceNs;
    const target = Math.min(options.spansPerBlock, options.spans - totalSpans);
    let inBlock = 0;
    for (let i = 0; inBlock < target; i++) {
      const { entry, facts } = generator.next(sortedTraceId(i, options.spansPerBlock, random), sliceStart + BigInt(Math.floor(random() * Number(sliceNs))));
      await writer.add(entry);
      inBlock += entry.spanCount;
      otlpBytes += entry.trace.length;
      traces++;
      for (const k of Object.keys(counts) as (keyof TraceFacts)[]) if (facts[k]) counts[k]++;
    }
    const meta: BlockMeta = await writer.finish();
    await writeBlockMeta(store, meta);
    blockIDs.push(blockID);
    totalSpans += inBlock;
    dataBytes += meta.size;
    log(`corpus: block ${b + 1}/${blocks}: ${inBlock.toLocaleString('en-US')} spans, ${(meta.size / 1e6).toFixed(1)} MB, ` +
      `${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const generationSeconds = (performance.now() - t0) / 1000;
  return {
    ...options, version: MANIFEST_VERSION, baseUnixSeconds: BASE_UNIX_SECONDS, tenant: SCALE_TENANT, blockIDs, traces, totalSpans,
    dataBytes, otlpBytes, counts, generationSeconds,
  };
}

/** IDs that rise with `i` (the writer needs them sorted) yet spread over the ID space, random in their tail. */
function sortedTraceId(i: number, maxTraces: number, random: () => number): Uint8Array {
  const id = new Uint8Array(16);
  const head = Math.floor((i * 2 ** 32) / maxTraces);
  id[0] = head >>> 24;
  id[1] = (head >>> 16) & 0xff;
  id[2] = (head >>> 8) & 0xff;
  id[3] = head & 0xff;
  for (let k = 4; k < 16; k++) id[k] = Math.floor(random() * 256);
  return id;
}
