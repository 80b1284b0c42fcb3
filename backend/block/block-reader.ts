import { NotFoundError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { BLOCK_FORMAT, DATA_NAME, INDEX_NAME, blockObjectKey, bloomName } from './block-layout.ts';
import { decodeBloom, type BloomFilter } from './bloom-codec.ts';
import { bloomHas, bloomShardOf } from './bloom-shards.ts';
import { ByteLru } from './byte-lru.ts';
import { decodePage } from './data-pages.ts';
import { PageIndex } from './page-index.ts';
import { findRecord } from './page-records.ts';
import { traceIdToHex } from './trace-id.ts';

export interface BlockReaderOptions {
  /** Bytes of bloom shards and page indexes kept in memory (LRU); default 256 MiB. */
  readonly cacheBytes?: number;
}

/**
 * Reads traces out of tl1 blocks: ID range from meta → bloom shard (cached) → page index (cached, binary
 * search) → one ranged read of one page. Missing objects of a listed block are RetryableError (the block
 * list is stale); undecodable ones are TracelakeError naming the block and object.
 */
export class BlockReader {
  readonly #store: ObjectStore;
  readonly #cache: ByteLru<BloomFilter | PageIndex>;
  // Concurrent lookups of a cold block share one read per object.
  readonly #loading = new Map<string, Promise<BloomFilter | PageIndex>>();

  constructor(store: ObjectStore, options: BlockReaderOptions = {}) {
    this.#store = store;
    this.#cache = new ByteLru(options.cacheBytes ?? 256 * 1024 * 1024);
  }

  /** False when the block cannot hold `traceId` (outside its ID range, or its bloom shard says no). */
  async mayContain(meta: BlockMeta, traceId: Uint8Array): Promise<boolean> {
    if (meta.format !== BLOCK_FORMAT) throw new TracelakeError(`block ${blockName(meta)}: unsupported format ${meta.format}`);
    const hex = traceIdToHex(traceId);
    if (hex < meta.minID || hex > meta.maxID) return false;
    const name = bloomName(bloomShardOf(traceId, meta.bloomShards));
    const filter = (await this.#cached(meta, name, decodeBloom)) as BloomFilter;
    return bloomHas(filter, traceId);
  }

  /** The encoded Trace of `traceId` in this block, or undefined. */
  async findTrace(meta: BlockMeta, traceId: Uint8Array): Promise<Uint8Array | undefined> {
    if (!(await this.mayContain(meta, traceId))) return undefined;
    const index = (await this.#cached(meta, INDEX_NAME, (b) => new PageIndex(b))) as PageIndex;
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

  async #cached(meta: BlockMeta, name: string, decode: (bytes: Uint8Array) => BloomFilter | PageIndex) {
    const key = blockObjectKey(meta.tenantID, meta.blockID, name);
    const hit = this.#cache.get(key) ?? this.#loading.get(key);
    if (hit !== undefined) return hit;
    const load = (async () => {
      const bytes = await this.#read(meta, name, (store, k) => store.get(k));
      let value: BloomFilter | PageIndex;
      try {
        value = decode(bytes);
      } catch (err) {
        throw corrupt(meta, name, err);
      }
      this.#cache.set(key, value, bytes.length);
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
        throw new RetryableError(`block ${blockName(meta)}: object ${name} is missing (deleted or never written)`, { cause: err });
      }
      if (err instanceof TracelakeError && !(err instanceof RetryableError)) throw corrupt(meta, name, err);
      throw err;
    }
  }
}

function blockName(meta: BlockMeta): string {
  return `${meta.tenantID}/${meta.blockID}`;
}

function corrupt(meta: BlockMeta, name: string, err: unknown): TracelakeError {
  return new TracelakeError(`block ${blockName(meta)}: object ${name} is corrupt: ${(err as Error).message}`, { cause: err });
}
