import { NotFoundError, PermanentError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { DATA_NAME, FORMAT_TL1, INDEX_NAME, READABLE_FORMATS, blockObjectKey, bloomName } from './block-layout.ts';
import { decodeBloom, HASH_MURMUR_WORDS, type BloomFilter } from './bloom-codec.ts';
import { bloomHasHashes, bloomKey, bloomShardOf, hashes as idHashValues, idHashes } from './bloom-shards.ts';
import { ByteLru } from './byte-lru.ts';
import { mapBounded } from './map-bounded.ts';
import { decodePage } from './data-pages.ts';
import { PageIndex } from './page-index.ts';
import { findRecord } from './page-records.ts';
import { decodeColumns } from './row-group-data.ts';
import { RowGroupIndex } from './row-group-index.ts';
import { RowGroupReader } from './row-group-reader.ts';
import { traceIdToHex } from './trace-id.ts';


/** An object of a listed block is gone: deleted after compaction, or the list is stale. Retrying may help. */
export class MissingBlockObjectError extends RetryableError {
  override readonly code = 'BLOCK_OBJECT_MISSING';
}

export interface BlockReaderOptions {
  /** Bytes of bloom shards and page indexes kept in memory (LRU); default 256 MiB. */
  readonly cacheBytes?: number;
}

export interface PreloadOptions {
  /** Objects fetched at once; default 16. */
  readonly concurrency?: number;
  /** Stops fetching (what is in flight completes). */
  readonly signal?: AbortSignal;
}

export interface PreloadResult {
  /** Bloom shards and indexes now in the cache (fetched, or there already). */
  readonly loaded: number;
  /** Left out: the cache was nearly full, or the signal aborted. */
  readonly skipped: number;
  /** Fetches that failed (a block deleted since it was listed, the store down): its lookups load it again. */
  readonly failed: number;
  readonly firstError?: unknown;
}

/** Preloading stops here: loading more would only evict what it has just loaded. */
const PRELOAD_CACHE_SHARE = 0.9;
/** Trace IDs whose bloom hashes are remembered: enough for the lookups in flight at once. */
const HASH_MEMO_ENTRIES = 256;

/** bloom-filters' two XXH64 hashes of an ID under a seed: the costly part of a check (64-bit math in plain JS). */
interface IdHashes {
  readonly first: number;
  readonly second: number;
}

type Cached = BloomFilter | PageIndex | RowGroupIndex;

/**
 * Reads traces out of blocks: ID range from meta → bloom shard (cached) → index (cached, binary search) →
 * one ranged read of one tl1 page or one tl2 row group, of which only the trace asked for is rebuilt. Missing objects of a listed block are RetryableError (the block
 * list is stale); undecodable ones are TracelakeError naming the block and object.
 */
export class BlockReader {
  readonly #store: ObjectStore;
  readonly #cache: ByteLru<Cached>;
  // Concurrent lookups of a cold block share one read per object.
  readonly #loading = new Map<string, Promise<Cached>>();
  // Filters share the default seed, so one ID's hashes serve every block of a lookup: ~9 → ~1.5 µs per cached block.
  readonly #hashes = new Map<string, IdHashes>();

  constructor(store: ObjectStore, options: BlockReaderOptions = {}) {
    this.#store = store;
    this.#cache = new ByteLru(options.cacheBytes ?? 256 * 1024 * 1024);
  }

  /** False when the block cannot hold `traceId` (outside its ID range, or its bloom shard says no). */
  async mayContain(meta: BlockMeta, traceId: Uint8Array): Promise<boolean> {
    if (!READABLE_FORMATS.has(meta.format)) throw new TracelakeError(`block ${blockName(meta)}: unsupported format ${meta.format}`);
    const hex = traceIdToHex(traceId);
    if (hex < meta.minID || hex > meta.maxID) return false;
    const name = bloomName(bloomShardOf(traceId, meta.bloomShards));
    // Checked here first: with every bloom cached, a lookup over thousands of blocks is this line per block.
    const cached = this.#cache.get(blockObjectKey(meta.tenantID, meta.blockID, name));
    const filter = (cached ?? (await this.#cached(meta, name, decodeBloom))) as BloomFilter;
    return this.#bloomHas(filter, traceId, hex);
  }

  /** bloom-filters 3.x `BloomFilter.has` (double hashing over the bit set), with the ID's XXH64 hashes remembered. */
  #bloomHas(filter: BloomFilter, traceId: Uint8Array, hex: string): boolean {
    if (filter.hashScheme === HASH_MURMUR_WORDS) {
      idHashes(traceId);
      return bloomHasHashes(filter, idHashValues.first, idHashValues.second);
    }
    const key = `${filter.seed}:${hex}`;
    let hashes = this.#hashes.get(key);
    if (hashes === undefined) {
      hashes = filter._hashing.hashTwice(bloomKey(traceId), filter.seed);
      if (this.#hashes.size >= HASH_MEMO_ENTRIES) this.#hashes.delete(this.#hashes.keys().next().value!);
      this.#hashes.set(key, hashes);
    }
    for (let i = 0; i < filter._nbHashes; i++) {
      if (!filter._filter.has(filter._hashing.doubleHashing(i, hashes.first, hashes.second, filter._size))) return false;
    }
    return true;
  }

  /** The encoded Trace of `traceId` in this block, or undefined. */
  async findTrace(meta: BlockMeta, traceId: Uint8Array): Promise<Uint8Array | undefined> {
    if (!(await this.mayContain(meta, traceId))) return undefined;
    return meta.format === FORMAT_TL1 ? this.#findInPage(meta, traceId) : this.#findInRowGroup(meta, traceId);
  }

  async #findInPage(meta: BlockMeta, traceId: Uint8Array): Promise<Uint8Array | undefined> {
    const index = (await this.#cached(meta, INDEX_NAME, decodeIndex(meta))) as PageIndex;
    const ref = index.find(traceId);
    if (ref === undefined) return undefined;
    if (ref.offset + ref.length > meta.size) throw corrupt(meta, INDEX_NAME, new Error('page past the end of data'));
    const chunk = await this.#read(meta, DATA_NAME, (store, key) => store.getRange(key, ref.offset, ref.length));
    try {
      return findRecord(decodePage(chunk, ref), traceId)?.slice();
    } catch (err) {
      throw corrupt(meta, DATA_NAME, err);
    }
  }

  async #findInRowGroup(meta: BlockMeta, traceId: Uint8Array): Promise<Uint8Array | undefined> {
    const index = (await this.#cached(meta, INDEX_NAME, decodeIndex(meta))) as RowGroupIndex;
    const g = index.find(traceId);
    if (g < 0) return undefined;
    let group;
    try {
      group = index.group(g);
    } catch (err) {
      throw corrupt(meta, INDEX_NAME, err);
    }
    const { offset, length } = group;
    if (offset + length > meta.size) throw corrupt(meta, INDEX_NAME, new Error('row group past the end of data'));
    const chunk = await this.#read(meta, DATA_NAME, (store, key) => store.getRange(key, offset, length));
    try {
      const rows = new RowGroupReader(decodeColumns(chunk, group));
      const i = rows.find(traceId);
      if (i < 0) return undefined;
      const cursor = rows.cursor();
      cursor.skip(i);
      return cursor.next().slice();
    } catch (err) {
      throw corrupt(meta, DATA_NAME, err);
    }
  }

  /**
   * Fetches the bloom shards, then the page indexes, of `metas` into the cache, newest blocks first. A cold
   * lookup otherwise fetches one bloom shard per candidate block: with hundreds of blocks in S3 that is
   * hundreds of requests (~1 ms of client CPU each) before the first answer (bench/s3-trace-by-id.bench.ts).
   */
  async preload(metas: readonly BlockMeta[], options: PreloadOptions = {}): Promise<PreloadResult> {
    const newestFirst = metas.filter((m) => READABLE_FORMATS.has(m.format)).sort((a, b) => (b.endTime < a.endTime ? -1 : b.endTime > a.endTime ? 1 : 0));
    const jobs: [BlockMeta, string][] = [
      ...newestFirst.flatMap((m) => Array.from({ length: m.bloomShards }, (_, i): [BlockMeta, string] => [m, bloomName(i)])),
      ...newestFirst.map((m): [BlockMeta, string] => [m, INDEX_NAME]),
    ];
    let loaded = 0;
    let skipped = 0;
    let failed = 0;
    let firstError: unknown;
    await mapBounded(jobs, options.concurrency ?? 16, async ([meta, name]) => {
      if (options.signal?.aborted || this.#cache.bytes >= PRELOAD_CACHE_SHARE * this.#cache.maxBytes) {
        skipped++;
        return;
      }
      try {
        await this.#cached(meta, name, name === INDEX_NAME ? decodeIndex(meta) : decodeBloom);
        loaded++;
      } catch (err) {
        failed++;
        firstError ??= err;
      }
    });
    return { loaded, skipped, failed, ...(failed > 0 ? { firstError } : {}) };
  }

  async #cached(meta: BlockMeta, name: string, decode: (bytes: Uint8Array) => Cached) {
    const key = blockObjectKey(meta.tenantID, meta.blockID, name);
    const hit = this.#cache.get(key) ?? this.#loading.get(key);
    if (hit !== undefined) return hit;
    const load = (async () => {
      const bytes = await this.#read(meta, name, (store, k) => store.get(k));
      let value: Cached;
      try {
        value = decode(bytes);
      } catch (err) {
        throw corrupt(meta, name, err);
      }
      this.#cache.set(key, value, value instanceof RowGroupIndex ? value.byteSize : bytes.length);
      return value;
    })();
    this.#loading.set(key, load);
    try {
      return await load;
    } finally {
      this.#loading.delete(key);
    }
  }

  async #read(meta: BlockMeta, name: string, read: (store: ObjectStore, key: string) => Promise<Uint8Array>) {
    const key = blockObjectKey(meta.tenantID, meta.blockID, name);
    try {
      return await read(this.#store, key);
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw new MissingBlockObjectError(`block ${blockName(meta)}: object ${name} is missing (deleted or never written)`, { cause: err });
      }
      // A short object (PermanentError from getRange) is corruption; a refusal (S3 403) is the store's problem.
      if (err instanceof PermanentError) throw corrupt(meta, name, err);
      throw err;
    }
  }
}

/** The index decoder of the block's format. */
function decodeIndex(meta: BlockMeta): (bytes: Uint8Array) => PageIndex | RowGroupIndex {
  return meta.format === FORMAT_TL1 ? (b) => new PageIndex(b) : (b) => new RowGroupIndex(b);
}

function blockName(meta: BlockMeta): string {
  return `${meta.tenantID}/${meta.blockID}`;
}

function corrupt(meta: BlockMeta, name: string, err: unknown): TracelakeError {
  return new TracelakeError(`block ${blockName(meta)}: object ${name} is corrupt: ${(err as Error).message}`, { cause: err });
}
