import { TracelakeError } from '../../pipeline/errors.ts';
import { FrameColumns } from './frame-columns.ts';
import type { RowGroupRef } from './row-group-index.ts';
import type { RowGroupColumns } from './row-group-reader.ts';

/** Reads `length` bytes at `offset` of the block's data object. */
export type ReadData = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * Frames this close together are fetched in one read, the bytes between them included: an object store
 * request costs about what 16 KiB more of transfer does. (A search's filter columns of a 1 MiB row group of
 * the search corpus: 15 KiB in 2 reads; with a 64 KiB gap, 51 KiB in one.)
 */
export const COALESCE_GAP_BYTES = 16 * 1024;

/**
 * The columns of one tl2 row group fetched a few at a time: `load` reads (coalesced) only the frames holding
 * the named columns that are not loaded yet, so a search reads its filter columns first and the rest only
 * when the group has candidates; a frame is decompressed when one of its columns is first read.
 */
export class RowGroupFrames {
  readonly group: RowGroupRef;
  /** Bytes read from the data object so far. */
  bytesRead = 0;
  readonly #read: ReadData;
  readonly #columns: FrameColumns;

  constructor(read: ReadData, group: RowGroupRef) {
    this.#read = read;
    this.group = group;
    this.#columns = new FrameColumns(group);
  }

  /** Loads the frames of the named columns (columns the group lacks are ignored); undefined = every frame. */
  async load(names?: ReadonlySet<string>): Promise<void> {
    const wanted = new Set<number>();
    for (const c of this.group.columns) if ((names === undefined || names.has(c.name)) && !this.#columns.hasFrame(c.frame)) wanted.add(c.frame);
    const frames = [...wanted].sort((a, b) => a - b);
    const { group } = this;
    for (let i = 0; i < frames.length;) {
      let j = i;
      while (j + 1 < frames.length && frameGap(group, frames[j], frames[j + 1]) <= COALESCE_GAP_BYTES) j++;
      const first = group.frames[frames[i]];
      const last = group.frames[frames[j]];
      const chunk = await this.#read(group.offset + first.offset, last.offset + last.length - first.offset);
      if (chunk.length !== last.offset + last.length - first.offset) throw new TracelakeError(`row group at ${group.offset}: short read`);
      this.bytesRead += chunk.length;
      for (let k = i; k <= j; k++) {
        const f = group.frames[frames[k]];
        this.#columns.addFrame(frames[k], chunk.subarray(f.offset - first.offset, f.offset - first.offset + f.length));
      }
      i = j + 1;
    }
  }

  /** Every column whose frame is loaded, as views into the frames (decompressed on first read). */
  columns(): RowGroupColumns {
    return this.#columns;
  }
}

function frameGap(group: RowGroupRef, a: number, b: number): number {
  const fa = group.frames[a];
  return group.frames[b].offset - (fa.offset + fa.length);
}
