import { PermanentError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta, TraceEntry } from './block-meta.ts';
import { BLOCK_FORMAT, DATA_ENCODING, DATA_NAME, INDEX_NAME, META_NAME, blockObjectKey, bloomName } from './block-layout.ts';
import { bloomShardCount, buildBloomShards } from './bloom-shards.ts';
import { DEFAULT_PAGE_BYTES, DEFAULT_ZSTD_LEVEL, encodeDataPages } from './data-pages.ts';
import { encodePageIndex } from './page-index.ts';
import { compareTraceIds, traceIdToHex, TRACE_ID_BYTES } from './trace-id.ts';

export interface WriteBlockOptions {
  readonly tenantID: string;
  readonly blockID: string;
  /** Sorted by trace ID, one entry per trace. */
  readonly entries: readonly TraceEntry[];
  readonly bloomFalsePositive: number;
  /** Uncompressed bytes per page. */
  readonly pageSize?: number;
  readonly zstdLevel?: number;
  readonly compactionLevel?: number;
}

/** Writes data, index and bloom shards, then meta.json last: until it lands, the block does not exist. */
export async function writeBlock(store: ObjectStore, options: WriteBlockOptions): Promise<BlockMeta> {
  const { tenantID, blockID, entries, bloomFalsePositive: fp } = options;
  checkEntries(entries);
  if (!(fp > 0 && fp < 1)) throw new PermanentError(`bloom false-positive rate ${fp} is not in (0, 1)`);
  const key = (name: string) => blockObjectKey(tenantID, blockID, name);
  const { data, pages } = await encodeDataPages(entries, {
    pageBytes: options.pageSize ?? DEFAULT_PAGE_BYTES,
    zstdLevel: options.zstdLevel ?? DEFAULT_ZSTD_LEVEL,
  });
  const shardCount = bloomShardCount(entries.length, fp);
  const shards = buildBloomShards(entries.map((e) => e.traceId), shardCount, fp);
  await Promise.all([
    store.put(key(DATA_NAME), data),
    store.put(key(INDEX_NAME), encodePageIndex(pages)),
    ...shards.map((shard, i) => store.put(key(bloomName(i)), shard)),
  ]);
  const meta = blockMetaOf(options, data.length, shardCount);
  await store.put(key(META_NAME), new TextEncoder().encode(JSON.stringify(meta)));
  return meta;
}

function blockMetaOf(options: WriteBlockOptions, size: number, bloomShards: number): BlockMeta {
  const { entries } = options;
  let start = Infinity;
  let end = -Infinity;
  let spans = 0;
  for (const e of entries) {
    start = Math.min(start, e.startUnixNano);
    end = Math.max(end, e.endUnixNano, e.startUnixNano);
    spans += e.spanCount;
  }
  return {
    format: BLOCK_FORMAT,
    blockID: options.blockID,
    tenantID: options.tenantID,
    startTime: new Date(Math.floor(start / 1e6)).toISOString(),
    endTime: new Date(Math.ceil(end / 1e6)).toISOString(),
    totalObjects: entries.length,
    totalSpans: spans,
    size,
    dataEncoding: DATA_ENCODING,
    bloomShards,
    minID: traceIdToHex(entries[0].traceId),
    maxID: traceIdToHex(entries[entries.length - 1].traceId),
    compactionLevel: options.compactionLevel ?? 0,
  };
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
