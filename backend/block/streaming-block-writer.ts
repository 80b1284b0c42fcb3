import { PermanentError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta, TraceEntry } from './block-meta.ts';
import { BLOCK_FORMAT, DATA_ENCODING, DATA_NAME, INDEX_NAME, blockObjectKey, bloomName } from './block-layout.ts';
import { bloomShardCount, buildBloomShards } from './bloom-shards.ts';
import { DEFAULT_PAGE_BYTES, DEFAULT_ZSTD_LEVEL } from './data-pages.ts';
import { PageCompressor } from './page-compressor.ts';
import { encodePageIndex, type PageRef } from './page-index.ts';
import { PageBuilder } from './page-records.ts';
import { PackedIds } from './packed-ids.ts';
import { TRACE_ID_BYTES } from './trace-id.ts';

export interface StreamingBlockWriterOptions {
  readonly tenantID: string;
  readonly blockID: string;
  readonly bloomFalsePositive: number;
  /** Uncompressed bytes per page. */
  readonly pageSize?: number;
  readonly zstdLevel?: number;
  readonly compactionLevel?: number;
}

/**
 * Builds a tl1 block one trace at a time (in trace ID order), compressing each page as soon as it is full:
 * memory holds the compressed pages and the trace IDs, never the traces. Pages are cut exactly as writeBlock
 * cuts them, so the same entries give the same bytes. `finish` writes data, index and bloom shards but not
 * meta.json: the caller publishes the block with writeBlockMeta once it is ready to be seen.
 */
export class StreamingBlockWriter {
  readonly #store: ObjectStore;
  readonly #options: StreamingBlockWriterOptions;
  readonly #pageBytes: number;
  readonly #builder: PageBuilder;
  readonly #compressor: PageCompressor;
  readonly #chunks: Uint8Array[] = [];
  readonly #pages: PageRef[] = [];
  readonly #ids = new PackedIds();
  #dataBytes = 0;
  #pageFirst = 0;
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
    this.#pageBytes = options.pageSize ?? DEFAULT_PAGE_BYTES;
    this.#builder = new PageBuilder(this.#pageBytes + 64 * 1024);
    this.#compressor = new PageCompressor(options.zstdLevel ?? DEFAULT_ZSTD_LEVEL);
  }

  /** Traces added so far. */
  get traceCount(): number {
    return this.#ids.count;
  }

  /** Compressed bytes of the pages cut so far plus the uncompressed bytes of the page being filled. */
  get pendingBytes(): number {
    return this.#dataBytes + this.#builder.byteLength;
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
    this.#builder.append(entry.traceId, entry.trace);
    if (this.#builder.byteLength >= this.#pageBytes) await this.#cut();
  }

  /** Writes data, index and bloom shards; returns the meta to publish. The writer is closed afterwards. */
  async finish(): Promise<BlockMeta> {
    if (this.#closed) throw new PermanentError('block writer is closed');
    try {
      if (this.#ids.count === 0) throw new PermanentError('a block needs at least one trace');
      if (this.#builder.records > 0) await this.#cut();
      const { tenantID, blockID, bloomFalsePositive: fp } = this.#options;
      const key = (name: string) => blockObjectKey(tenantID, blockID, name);
      const shardCount = bloomShardCount(this.#ids.count, fp);
      const shards = buildBloomShards(this.#ids.views(), shardCount, fp);
      const data = Buffer.concat(this.#chunks, this.#dataBytes);
      this.#chunks.length = 0;
      await Promise.all([
        this.#store.put(key(DATA_NAME), data),
        this.#store.put(key(INDEX_NAME), encodePageIndex(this.#pages)),
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
    this.#compressor.close();
  }

  async #cut(): Promise<void> {
    const records = this.#builder.records;
    const page = this.#builder.take();
    const chunk = await this.#compressor.compress(page);
    const last = this.#ids.count - 1;
    this.#pages.push({
      firstId: this.#ids.at(this.#pageFirst), lastId: this.#ids.at(last),
      offset: this.#dataBytes, length: chunk.length, uncompressedLength: page.length, records,
    });
    this.#chunks.push(chunk);
    this.#dataBytes += chunk.length;
    this.#pageFirst = last + 1;
  }

  #meta(size: number, bloomShards: number): BlockMeta {
    return {
      format: BLOCK_FORMAT,
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
