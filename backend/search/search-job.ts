import type { BlockMeta } from '../block/block-meta.ts';

/**
 * What planning needs of a block: its ID, when its spans end, and its size; its compaction level when
 * known (a metrics query does not count a block compacted while it ran: its sources were counted).
 */
export type BlockRef = Pick<BlockMeta, 'blockID' | 'endTime' | 'size'> & Partial<Pick<BlockMeta, 'compactionLevel'>>;

/**
 * One unit of a sharded search: the live (unflushed) traces, or a few blocks searched one after the other.
 * `endSeconds` bounds how recent a trace found by it can start, so the combiner knows when the traces it
 * holds are newer than anything still to come.
 */
export type SearchJob<B extends BlockRef = BlockRef> =
  | { readonly kind: 'live'; readonly endSeconds: number }
  | { readonly kind: 'blocks'; readonly blocks: readonly B[]; readonly bytes: number; readonly endSeconds: number };

/** A job names its blocks in a querier's URL: 100 IDs keep it far below Node's 16 KiB header limit. */
const MAX_BLOCKS_PER_JOB = 100;

export interface SearchJobPlan {
  /** Whether there are live traces to search (an ingester's, here or listed): the first job then. */
  readonly live: boolean;
  /** Blocks are grouped until a job holds at least this many bytes; a larger block is a job by itself. */
  readonly targetBytesPerJob: number;
}

/**
 * Tempo's split of a search: the live traces first (they are the newest), then the blocks newest first
 * (by their latest span end) in groups of about `targetBytesPerJob` (100 blocks at most), so that a search stopping at `limit`
 * results reads the recent blocks only. A block is never split: scanBlock reads a block whole.
 */
export function planSearchJobs<B extends BlockRef>(blocks: readonly B[], plan: SearchJobPlan): SearchJob<B>[] {
  const jobs: SearchJob<B>[] = plan.live ? [{ kind: 'live', endSeconds: Infinity }] : [];
  const newestFirst = blocks.map((b) => ({ b, end: Date.parse(b.endTime) / 1000 })).sort((x, y) => y.end - x.end || cmp(x.b.blockID, y.b.blockID));
  let group: B[] = [];
  let bytes = 0;
  let endSeconds = 0;
  for (const { b, end } of newestFirst) {
    if (group.length === 0) endSeconds = Math.ceil(end);
    group.push(b);
    bytes += b.size;
    if (bytes >= plan.targetBytesPerJob || group.length >= MAX_BLOCKS_PER_JOB) {
      jobs.push({ kind: 'blocks', blocks: group, bytes, endSeconds });
      group = [];
      bytes = 0;
    }
  }
  if (group.length > 0) jobs.push({ kind: 'blocks', blocks: group, bytes, endSeconds });
  return jobs;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
