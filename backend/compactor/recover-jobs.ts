import type { BlockMeta } from '../block/block-meta.ts';
import { META_NAME, blockObjectKey } from '../block/block-layout.ts';
import { markBlockCompacted, type CompactedBlockMeta } from '../block/compacted-meta.ts';
import { compactionRecordOf } from '../block/compaction-record.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface RecoverOptions {
  readonly store: ObjectStore;
  readonly live: readonly BlockMeta[];
  readonly compacted: readonly CompactedBlockMeta[];
  /** Whether this compactor handles the block (its shard). */
  readonly owns: (meta: BlockMeta) => boolean;
  readonly nowMs: number;
}

export interface Recovered {
  /** The live blocks left once interrupted work is finished. */
  readonly live: BlockMeta[];
  /** Blocks that had both meta.json and meta.compacted.json: their meta.json is now gone. */
  readonly finishedMarks: string[];
  /** Inputs of a published compaction that were still live: now marked compacted. */
  readonly rolledForward: string[];
}

/**
 * Finishes what a crashed (or concurrent) compactor left between its steps, before anything new is chosen:
 * a half-done mark (both metas present) loses its meta.json; a job whose outputs are all published but whose
 * inputs are still live gets its inputs marked. Both only complete a step whose precondition is visible, so
 * they are safe however many compactors run them at once.
 */
export async function recoverInterrupted(options: RecoverOptions): Promise<Recovered> {
  const { store, compacted } = options;
  const compactedIds = new Set(compacted.map((m) => m.blockID));
  const finishedMarks: string[] = [];
  let live: BlockMeta[] = [];
  for (const meta of options.live) {
    if (!compactedIds.has(meta.blockID)) live.push(meta);
    else if (options.owns(meta)) {
      await store.delete(blockObjectKey(meta.tenantID, meta.blockID, META_NAME));
      finishedMarks.push(meta.blockID);
    }
  }
  const rolledForward = await rollForward(options, live, compactedIds);
  const gone = new Set(rolledForward);
  live = live.filter((m) => !gone.has(m.blockID));
  return { live, finishedMarks, rolledForward };
}

async function rollForward(options: RecoverOptions, live: readonly BlockMeta[], compactedIds: ReadonlySet<string>): Promise<string[]> {
  const liveById = new Map(live.map((m) => [m.blockID, m]));
  const marked: string[] = [];
  for (const output of live) {
    const record = compactionRecordOf(output);
    if (record === undefined || !options.owns(output)) continue;
    const pending = record.inputs.map((id) => liveById.get(id)).filter((m): m is BlockMeta => m !== undefined);
    // Published means live or already compacted further; an output still missing means the job is mid-publish.
    const published = record.outputs.every((id) => liveById.has(id) || compactedIds.has(id));
    if (pending.length === 0 || !published) continue;
    for (const input of pending) {
      await markBlockCompacted(options.store, input, options.nowMs);
      liveById.delete(input.blockID);
      marked.push(input.blockID);
    }
  }
  return marked;
}
