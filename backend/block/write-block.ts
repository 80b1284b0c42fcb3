import { PermanentError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta, TraceEntry } from './block-meta.ts';
import type { BlockFormat } from './block-layout.ts';
import { StreamingBlockWriter } from './streaming-block-writer.ts';
import { compareTraceIds, TRACE_ID_BYTES } from './trace-id.ts';
import { writeBlockMeta } from './write-block-meta.ts';

export interface WriteBlockOptions {
  readonly tenantID: string;
  readonly blockID: string;
  /** Sorted by trace ID, one entry per trace. */
  readonly entries: readonly TraceEntry[];
  readonly bloomFalsePositive: number;
  /** Uncompressed bytes per page (tl1) or encoded OTLP bytes per row group (tl2). */
  readonly pageSize?: number;
  readonly zstdLevel?: number;
  readonly compactionLevel?: number;
  /** Default BLOCK_FORMAT. */
  readonly format?: BlockFormat;
}

/** Writes data, index and bloom shards, then meta.json last: until it lands, the block does not exist. */
export async function writeBlock(store: ObjectStore, options: WriteBlockOptions): Promise<BlockMeta> {
  const { entries, ...writerOptions } = options;
  checkEntries(entries);
  const writer = new StreamingBlockWriter(store, writerOptions);
  try {
    for (const entry of entries) await writer.add(entry);
  } catch (err) {
    writer.close();
    throw err;
  }
  const meta = await writer.finish();
  await writeBlockMeta(store, meta);
  return meta;
}

function checkEntries(entries: readonly TraceEntry[]): void {
  if (entries.length === 0) throw new PermanentError('a block needs at least one trace');
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].traceId.length !== TRACE_ID_BYTES) throw new PermanentError(`trace ID of entry ${i} is not 16 bytes`);
    if (i > 0 && compareTraceIds(entries[i - 1].traceId, entries[i].traceId) >= 0) {
      throw new PermanentError(`entries must be sorted by trace ID, one per trace (entry ${i})`);
    }
  }
}
