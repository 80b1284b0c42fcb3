import type { BlockMeta } from './block-meta.ts';

/**
 * Written into the meta.json of every block a compaction outputs (field `compaction`, beside Tempo's
 * fields; readers that do not know it ignore it): the job's input blocks and all of its output blocks.
 * Inputs are only marked compacted once every output is published, so a live output whose inputs are
 * still live shows a job interrupted between the two steps, which the next pass can finish.
 */
export interface CompactionRecord {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export type CompactionOutputMeta = BlockMeta & { compaction: CompactionRecord };

/** The record of a block written by compaction; undefined for other blocks (or a malformed record). */
export function compactionRecordOf(meta: BlockMeta): CompactionRecord | undefined {
  const record = (meta as Partial<CompactionOutputMeta>).compaction;
  if (typeof record !== 'object' || record === null) return undefined;
  const ids = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  return ids(record.inputs) && ids(record.outputs) ? record : undefined;
}
