import type { Wal } from '../wal/wal.ts';
import type { SegmentReader } from '../wal/segment-reader.ts';
import type { CopyPlan } from './assemble-traces.ts';

/** Spans closer than this are read together: a few KiB of waste beats another syscall. */
const MAX_GAP = 32 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;

/** Fills the span bytes of assembled traces from the WAL, one segment at a time, in coalesced reads. */
export async function copyFromWal(wal: Wal, plan: CopyPlan, target: Uint8Array): Promise<void> {
  let chunk: Buffer | undefined;
  for (const [segment, copies] of plan) {
    const reader = await wal.openSegment(segment);
    try {
      chunk = await copySegment(reader, copies, target, chunk);
    } finally {
      await reader.close();
    }
  }
}

/** Returns the chunk buffer for reuse. */
async function copySegment(
  reader: SegmentReader, copies: readonly number[], target: Uint8Array, chunk: Buffer | undefined,
): Promise<Buffer | undefined> {
  const order = sortedBySource(copies);
  let i = 0;
  while (i < order.length) {
    const first = order[i];
    const start = copies[first];
    let end = start + copies[first + 1];
    let j = i + 1;
    for (; j < order.length; j++) {
      const next = order[j];
      const nextEnd = copies[next] + copies[next + 1];
      if (copies[next] - end > MAX_GAP || Math.max(end, nextEnd) - start > MAX_CHUNK) break;
      end = Math.max(end, nextEnd);
    }
    if (j === i + 1) {
      await reader.readInto(target.subarray(copies[first + 2], copies[first + 2] + copies[first + 1]), start);
    } else {
      if (!chunk || chunk.length < end - start) chunk = Buffer.allocUnsafe(Math.max(MAX_CHUNK, end - start));
      const view = chunk.subarray(0, end - start);
      await reader.readInto(view, start);
      for (let k = i; k < j; k++) {
        const c = order[k];
        target.set(view.subarray(copies[c] - start, copies[c] - start + copies[c + 1]), copies[c + 2]);
      }
    }
    i = j;
  }
  return chunk;
}

/** Indexes (multiples of 3) of the triples, by source offset. */
function sortedBySource(copies: readonly number[]): Uint32Array {
  const order = new Uint32Array(copies.length / 3);
  for (let i = 0; i < order.length; i++) order[i] = i * 3;
  return order.sort((a, b) => copies[a] - copies[b]);
}
