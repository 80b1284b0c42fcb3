import { PermanentError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockDataEncoder } from './block-data-encoder.ts';
import type { BlockMeta, TraceEntry } from './block-meta.ts';
import { BLOCK_FORMAT, DATA_ENCODING, DATA_NAME, FORMAT_TL1, INDEX_NAME, blockObjectKey, bloomName, type BlockFormat } from './block-layout.ts';
import { bloomShardCount, buildBloomShards } from './bloom-shards.ts';
import { DEFAULT_PAGE_BYTES, DEFAULT_ZSTD_LEVEL } from './data-pages.ts';
import { PageDataEncoder } from './page-data-encoder.ts';
import { PackedIds } from './packed-ids.ts';
import { DEFAULT_ROW_GROUP_BYTES, RowGroupDataEncoder } from './row-group-data-encoder.ts';
import { TRACE_ID_BYTES } from './trace-id.ts';

export interface StreamingBlockWriterOptions {
  readonly tenantID: string;
  readonly blockID: string;
  readonly bloomFalsePositive: number;
  /** Uncompressed bytes per page (tl1) or encoded OTLP bytes per row group (tl2). */
  readonly pageSize?: number;
  readonly zstdLevel?: number;
  readonly compactionLevel?: number;
  /** Default BLOCK_FORMAT; tl1 stays writable for comparisons and tests of old blocks. */
  readonly format?: BlockFormat;
}

/**
 * Builds a block one trace at a time (in trace ID order), compressing each page / row group as soon as it is
 * full: memory holds the compressed data and the trace IDs, never all the traces. `finish` writes data,
 * index and bloom shards but not meta.json: the caller publishes the block with writeBlockMeta once it is
 * ready to be seen.
 */
export class StreamingBlockWriter {
  readonly #store: ObjectStore;
  readonly #options: StreamingBlockWriterOptions;
  readonly #format: BlockFormat;
  readonly #encoder: BlockDataEncoder;
  readonly #ids = new PackedIds();
  #spans = 0;
  #start = Infinity;
  #end = -Infinity;
  #closed = false;

  constructor(store: ObjectStore, options: StreamingBlockWriterOptions) {
    const fp = options.bloomFalsePositive;
    if (!(fp > 0 && fp < 1)) throw new PermanentError(`bloom false-positive rate ${fp} is not in (0, 1)`);
    blockObjectKey(options.tenantID, options.blockID, DATA_NAME); // checks both names now, not at the end
    this.#store = store;
    this.#options = options;
    this.#format = options.format ?? BLOCK_FORMAT;
    const level = options.zstdLevel ?? DEFAULT_ZSTD_LEVEL;
    this.#encoder = this.#format === FORMAT_TL1
      ? new PageDataEncoder(options.pageSize ?? DEFAULT_PAGE_BYTES, level)
      : new RowGroupDataEncoder(options.pageSize ?? DEFAULT_ROW_GROUP_BYTES, level);
  }

  /** Traces added so far. */
  get traceCount(): number {
    return this.#ids.count;
  }

  /** Compressed bytes cut so far plus the bytes waiting to be cut. */
  get pendingBytes(): number {
    return this.#encoder.pendingBytes;
  }

  /** Adds the next trace; its ID must be greater than the previous one's. */
  async add(entry: TraceEntry): Promise<void> {
    if (this.#closed) throw new PermanentError('block writer is closed');
    if (entry.traceId.length !== TRACE_ID_BYTES) throw new PermanentError(`trace ID of entry ${this.#ids.count} is not 16 bytes`);
    if (this.#ids.compareWithLast(entry.traceId) <= 0) {
      throw new PermanentError(`entries must be sorted by trace ID, one per trace (entry ${this.#ids.count})`);
    }
    this.#ids.push(entry.traceId);
    this.#spans += entry.spanCount;
    this.#start = Math.min(this.#start, entry.startUnixNano);
    this.#end = Math.max(this.#end, entry.endUnixNano, entry.startUnixNano);
    await this.#encoder.add(entry);
  }

  /** Writes data, index and bloom shards; returns the meta to publish. The writer is closed afterwards. */
  async finish(): Promise<BlockMeta> {
    if (this.#closed) throw new PermanentError('block writer is closed');
    try {
      if (this.#ids.count === 0) throw new PermanentError('a block needs at least one trace');
      const { data, index } = await this.#encoder.finish();
      const { tenantID, blockID, bloomFalsePositive: fp } = this.#options;
      const key = (name: string) => blockObjectKey(tenantID, blockID, name);
      const shardCount = bloomShardCount(this.#ids.count, fp);
      const shards = buildBloomShards(this.#ids.views(), shardCount, fp);
      await Promise.all([
        this.#store.put(key(DATA_NAME), data),
        this.#store.put(key(INDEX_NAME), index),
        ...shards.map((shard, i) => this.#store.put(key(bloomName(i)), shard)),
      ]);
      return this.#meta(data.length, shardCount);
    } finally {
      this.close();
    }
  }

  /** Releases the compressor; a writer dropped without `finish` must be closed. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#encoder.close();
  }

  #meta(size: number, bloomShards: number): BlockMeta {
    return {
      format: this.#format,
      blockID: this.#options.blockID,
      tenantID: this.#options.tenantID,
      startTime: new Date(Math.floor(this.#start / 1e6)).toISOString(),
      endTime: new Date(Math.ceil(this.#end / 1e6)).toISOString(),
      totalObjects: this.#ids.count,
      totalSpans: this.#spans,
      size,
      dataEncoding: DATA_ENCODING,
      bloomShards,
      minID: this.#ids.hex(0),
      maxID: this.#ids.hex(this.#ids.count - 1),
      compactionLevel: this.#options.compactionLevel ?? 0,
    };
  }
}
