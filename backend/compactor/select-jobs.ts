import type { BlockMeta } from '../block/block-meta.ts';
import { windowStartAt, windowStartOf } from './block-window.ts';
import { blockRetentionFor, type CompactorSettings } from './compactor-settings.ts';
import type { ShardOwner } from './shard-owner.ts';

/** Windows that ended longer ago than this are compacted across levels (Tempo's active window). */
export const ACTIVE_WINDOW_MS = 24 * 3600_000;

/** Blocks to merge into one (or, past max_block_bytes, a few) output blocks. */
export interface CompactionJob {
  readonly tenant: string;
  readonly windowStart: number;
  /** Level of the outputs: the highest input level + 1. */
  readonly level: number;
  /** Sorted by block ID: the order that makes output IDs and bytes deterministic. */
  readonly inputs: readonly BlockMeta[];
}

export interface SelectJobsOptions {
  readonly tenant: string;
  /** The tenant's live blocks. */
  readonly metas: readonly BlockMeta[];
  readonly settings: CompactorSettings;
  readonly owner: ShardOwner;
  readonly nowMs: number;
}

/**
 * Tempo's time-window selection: blocks are grouped by the window of their end time and, within the last
 * 24 hours, by compaction level (older windows merge across levels so nothing stays fragmented). In each
 * owned group, smallest first, sets of min..max input blocks within max_compaction_objects and
 * max_block_bytes. Deterministic for a given listing, so compactors that list alike choose alike.
 */
export function selectJobs(options: SelectJobsOptions): CompactionJob[] {
  const { tenant, settings, nowMs } = options;
  const activeFrom = windowStartAt(nowMs - ACTIVE_WINDOW_MS, settings.windowMs);
  const retention = blockRetentionFor(settings, tenant);
  const groups = new Map<string, { windowStart: number; blocks: BlockMeta[] }>();
  for (const meta of options.metas) {
    if (retention > 0 && Date.parse(meta.endTime) < nowMs - retention) continue; // retention's, not ours
    const windowStart = windowStartOf(meta, settings.windowMs);
    if (!options.owner.owns(tenant, windowStart)) continue;
    const key = windowStart >= activeFrom ? `${windowStart}/${meta.compactionLevel}` : `${windowStart}/*`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { windowStart, blocks: [] }));
    group.blocks.push(meta);
  }
  const jobs: CompactionJob[] = [];
  for (const { windowStart, blocks } of groups.values()) {
    for (const set of inputSets(blocks.sort(bySize), settings)) {
      const inputs = set.sort(byId);
      const level = Math.max(...inputs.map((m) => m.compactionLevel)) + 1;
      jobs.push({ tenant, windowStart, level, inputs });
    }
  }
  return jobs.sort((a, b) => b.windowStart - a.windowStart || a.level - b.level || compareIds(a.inputs[0], b.inputs[0]));
}

/** Consecutive runs of the (ascending) blocks that fit the limits; a run shorter than the minimum ends it. */
function inputSets(sorted: readonly BlockMeta[], settings: CompactorSettings): BlockMeta[][] {
  const sets: BlockMeta[][] = [];
  let at = 0;
  while (sorted.length - at >= settings.minInputBlocks) {
    const set: BlockMeta[] = [];
    let objects = 0;
    let bytes = 0;
    for (const meta of sorted.slice(at, at + settings.maxInputBlocks)) {
      if (objects + meta.totalObjects > settings.maxCompactionObjects || bytes + meta.size > settings.maxBlockBytes) break;
      set.push(meta);
      objects += meta.totalObjects;
      bytes += meta.size;
    }
    if (set.length < settings.minInputBlocks) break;
    sets.push(set);
    at += set.length;
  }
  return sets;
}

function bySize(a: BlockMeta, b: BlockMeta): number {
  return a.size - b.size || a.totalObjects - b.totalObjects || compareIds(a, b);
}

function byId(a: BlockMeta, b: BlockMeta): number {
  return compareIds(a, b);
}

function compareIds(a: BlockMeta, b: BlockMeta): number {
  return a.blockID < b.blockID ? -1 : a.blockID > b.blockID ? 1 : 0;
}
