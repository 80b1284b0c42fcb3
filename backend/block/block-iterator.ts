import { NotFoundError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { BLOCK_FORMAT, DATA_NAME, INDEX_NAME, blockObjectKey } from './block-layout.ts';
import { decodePage } from './data-pages.ts';
import { PageIndex, type PageRef } from './page-index.ts';
import { pageRecords, type PageRecord } from './page-record-list.ts';
import { compareTraceIds } from './trace-id.ts';

/**
 * Walks a tl1 block's traces in trace ID order, one page in memory at a time (plus the next one, read
 * ahead): the page index, then one ranged read per page. Records are views into their page; they stay valid
 * after the iterator moves on (pages are never reused). Errors name the block and object.
 */
export class BlockIterator {
  readonly meta: BlockMeta;
  readonly #store: ObjectStore;
  readonly #index: PageIndex;
  #page = 0;
  #records: PageRecord[] = [];
  #at = 0;
  #ahead: Promise<Uint8Array> | undefined;
  #last: Uint8Array | undefined;

  private constructor(store: ObjectStore, meta: BlockMeta, index: PageIndex) {
    this.#store = store;
    this.meta = meta;
    this.#index = index;
  }

  /** Reads the block's page index; RetryableError when the block's objects are gone. */
  static async open(store: ObjectStore, meta: BlockMeta): Promise<BlockIterator> {
    if (meta.format !== BLOCK_FORMAT) throw new TracelakeError(`block ${blockName(meta)}: unsupported format ${meta.format}`);
    const bytes = await read(meta, INDEX_NAME, () => store.get(blockObjectKey(meta.tenantID, meta.blockID, INDEX_NAME)));
    try {
      return new BlockIterator(store, meta, new PageIndex(bytes));
    } catch (err) {
      throw corrupt(meta, INDEX_NAME, err);
    }
  }

  get pageCount(): number {
    return this.#index.pageCount;
  }

  /** The next record, or undefined after the last one. */
  async next(): Promise<PageRecord | undefined> {
    while (this.#at >= this.#records.length) {
      if (this.#page >= this.#index.pageCount) return undefined;
      await this.#loadPage();
    }
    const record = this.#records[this.#at++];
    this.#last = record.traceId;
    return record;
  }

  async #loadPage(): Promise<void> {
    const ref = this.#index.page(this.#page);
    const chunk = await (this.#ahead ?? this.#fetch(ref));
    this.#ahead = undefined;
    this.#page++;
    if (this.#page < this.#index.pageCount) this.#ahead = this.#readAhead(this.#index.page(this.#page));
    try {
      const records = pageRecords(decodePage(chunk, ref));
      checkPage(records, ref, this.#last);
      this.#records = records;
      this.#at = 0;
    } catch (err) {
      throw corrupt(this.meta, DATA_NAME, err);
    }
  }

  /** Starts the read of the next page while the current one is merged; awaited by the next #loadPage. */
  #readAhead(ref: PageRef): Promise<Uint8Array> {
    const pending = this.#fetch(ref);
    // Handled here so an iterator dropped early (a failed job) leaves no unhandled rejection behind.
    pending.catch(() => undefined);
    return pending;
  }

  #fetch(ref: PageRef): Promise<Uint8Array> {
    const { meta } = this;
    if (ref.offset + ref.length > meta.size) return Promise.reject(corrupt(meta, INDEX_NAME, new Error('page past the end of data')));
    const key = blockObjectKey(meta.tenantID, meta.blockID, DATA_NAME);
    return read(meta, DATA_NAME, () => this.#store.getRange(key, ref.offset, ref.length));
  }
}

/** The page holds what its index entry says, and continues the order of the pages before it. */
function checkPage(records: readonly PageRecord[], ref: PageRef, last: Uint8Array | undefined): void {
  if (records.length !== ref.records || records.length === 0) {
    throw new TracelakeError(`page at ${ref.offset} holds ${records.length} records, the index says ${ref.records}`);
  }
  if (compareTraceIds(records[0].traceId, ref.firstId) !== 0 || compareTraceIds(records[records.length - 1].traceId, ref.lastId) !== 0) {
    throw new TracelakeError(`page at ${ref.offset} does not hold the trace IDs its index entry names`);
  }
  if (last !== undefined && compareTraceIds(last, records[0].traceId) >= 0) {
    throw new TracelakeError(`page at ${ref.offset} is out of trace ID order`);
  }
}

async function read(meta: BlockMeta, name: string, get: () => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new RetryableError(`block ${blockName(meta)}: object ${name} is missing (deleted or never written)`, { cause: err });
    }
    if (err instanceof TracelakeError && !(err instanceof RetryableError)) throw corrupt(meta, name, err);
    throw err;
  }
}

function blockName(meta: BlockMeta): string {
  return `${meta.tenantID}/${meta.blockID}`;
}

function corrupt(meta: BlockMeta, name: string, err: unknown): TracelakeError {
  if (err instanceof TracelakeError && err.message.startsWith(`block ${blockName(meta)}:`)) return err;
  return new TracelakeError(`block ${blockName(meta)}: object ${name} is corrupt: ${(err as Error).message}`, { cause: err });
}
