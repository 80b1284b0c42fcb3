import { BlockIterator } from '../block/block-iterator.ts';
import { BLOCK_FORMAT } from '../block/block-layout.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { markBlockCompacted } from '../block/compacted-meta.ts';
import type { CompactionOutputMeta } from '../block/compaction-record.ts';
import { DEFAULT_ROW_GROUP_BYTES } from '../block/row-group-data-encoder.ts';
import { readBlockMeta } from '../block/read-block-meta.ts';
import { writeBlockMeta } from '../block/write-block-meta.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { CompactorSettings } from './compactor-settings.ts';
import { outputBlockId } from './output-block-id.ts';
import type { CompactionJob } from './select-jobs.ts';
import { writeOutputs } from './write-outputs.ts';

export interface RunJobOptions {
  readonly store: ObjectStore;
  readonly job: CompactionJob;
  readonly settings: CompactorSettings;
  readonly bloomFalsePositive: number;
  readonly pageSize?: number;
  /** Unix ms, for the compactedTime of the inputs. */
  readonly now: () => number;
  /** Awaited every few hundred traces: lets ingest in the same process go first (yield-to-ingest.ts). */
  readonly yieldToIngest?: () => Promise<void>;
}

export type JobResult =
  | {
    readonly status: 'compacted';
    readonly job: CompactionJob;
    /** Published output blocks. */
    readonly outputs: readonly CompactionOutputMeta[];
    readonly inputSpans: number;
    readonly outputSpans: number;
  }
  /** An input stopped being live before or during the job (another compactor, retention): nothing published. */
  | { readonly status: 'skipped'; readonly job: CompactionJob; readonly reason: string };

/**
 * One compaction, in the order that keeps every trace readable at every instant:
 * 1. check the inputs are live; 2. merge them into output blocks named by the job (deterministic IDs),
 * data/index/bloom only; 3. check the inputs are still live; 4. publish every output's meta.json, each
 * recording the job; 5. mark the inputs compacted. A crash before 4 leaves unpublished objects (rewritten
 * alike by a retry, or collected as orphans); a crash between 4 and 5 leaves outputs whose record lets the
 * next pass finish step 5 (recover-jobs.ts). Inputs are deleted only compacted_block_retention later.
 */
export async function runCompactionJob(options: RunJobOptions): Promise<JobResult> {
  const { store, job, settings } = options;
  const inputIds = job.inputs.map((m) => m.blockID);
  const live = await liveInputs(store, job);
  if (live === undefined) return { status: 'skipped', job, reason: 'an input block is no longer live' };
  const fingerprint = outputFingerprint(options);
  const written = await writeOutputs({
    store, tenant: job.tenant, level: job.level,
    inputs: await Promise.all(live.map((meta) => BlockIterator.open(store, meta))),
    outputId: (index) => outputBlockId({ tenant: job.tenant, inputs: inputIds, index, fingerprint }),
    maxBlockBytes: settings.maxBlockBytes, zstdLevel: settings.zstdLevel,
    pageSize: options.pageSize, bloomFalsePositive: options.bloomFalsePositive, yieldToIngest: options.yieldToIngest,
  });
  if ((await liveInputs(store, job)) === undefined) {
    return { status: 'skipped', job, reason: 'an input block was marked compacted while it was merged' };
  }
  const record = { inputs: inputIds, outputs: written.metas.map((m) => m.blockID) };
  const outputs = written.metas.map((meta): CompactionOutputMeta => ({ ...meta, compaction: record }));
  for (const meta of outputs) await writeBlockMeta(store, meta);
  const compactedAt = options.now();
  for (const meta of live) await markBlockCompacted(store, meta, compactedAt);
  return { status: 'compacted', job, outputs, inputSpans: written.inputSpans, outputSpans: written.outputSpans };
}

/** The inputs' metas as stored now, or undefined when one of them is not live any more. */
async function liveInputs(store: ObjectStore, job: CompactionJob): Promise<BlockMeta[] | undefined> {
  const metas = await Promise.all(job.inputs.map((m) => readBlockMeta(store, job.tenant, m.blockID)));
  return metas.every((m) => m !== undefined) ? (metas as BlockMeta[]) : undefined;
}

/**
 * What besides the inputs shapes the outputs. The ID epoch (half the orphan grace period) keeps the orphan
 * collector and a late retry of the same job apart: the collector deletes a folder only once it has been
 * unpublished for the whole grace period, and a retry in a later epoch writes other folders, so a folder
 * being deleted could only still be written by a job running longer than half the grace period.
 */
function outputFingerprint(options: RunJobOptions): string {
  const { settings, pageSize = DEFAULT_ROW_GROUP_BYTES } = options;
  const epoch = Math.floor(options.now() / (settings.orphanGraceMs / 2));
  return `${BLOCK_FORMAT}/zstd${settings.zstdLevel}/page${pageSize}/bloom${options.bloomFalsePositive}/cut${settings.maxBlockBytes}/epoch${epoch}`;
}
