import type { BlockMeta } from '../block/block-meta.ts';

/** Start (unix seconds) of the compaction window holding the block's end time, as Tempo windows blocks. */
export function windowStartOf(meta: BlockMeta, windowMs: number): number {
  return windowStartAt(Date.parse(meta.endTime), windowMs);
}

export function windowStartAt(unixMs: number, windowMs: number): number {
  return (Math.floor(unixMs / windowMs) * windowMs) / 1000;
}
