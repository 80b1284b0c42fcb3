import { NotFoundError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { BlockMeta } from './block-meta.ts';
import { DATA_NAME, FORMAT_TL1, INDEX_NAME, READABLE_FORMATS, blockObjectKey } from './block-layout.ts';
import { decodePage } from './data-pages.ts';
import { PageIndex } from './page-index.ts';
import { pageRecords, type PageRecord } from './page-record-list.ts';
import { decodeColumns } from './row-group-data.ts';
import { RowGroupIndex } from './row-group-index.ts';
import { RowGroupReader } from './row-group-reader.ts';
import { compareTraceIds } from './trace-id.ts';

/** The units a block's data object is read in: tl1 pages or tl2 row groups. */
interface DataUnits {
  readonly count: number;
  /** Byte range of unit i in the data object. */
  range(i: number): { readonly offset: number; readonly length: number };
  /** Unit i's records, checked against what the index says it holds. */
  records(i: number, chunk: Uint8Array): PageRecord[];
}

/**
 * Walks a block's traces in trace ID order, one page (tl1) or row group (tl2) in memory at a time (plus the
 * next one, read ahead): the index, then one ranged read per unit. Records stay valid after the iterator
 * moves on (units are never reused). Errors name the block and object.
 */
export class BlockIterator {
  readonly meta: BlockMeta;
  readonly #store: ObjectStore;
  readonly #units: DataUnits;
  #unit = 0;
  #records: PageRecord[] = [];
  #at = 0;
  #ahead: Promise<Uint8Array> | undefined;
  #last: Uint8Array | undefined;

  private constructor(store: ObjectStore, meta: BlockMeta, units: DataUnits) {
    this.#store = store;
    this.meta = meta;
    this.#units = units;
  }

  /** Reads the block's index; RetryableError when the block's objects are gone. */
  static async open(store: ObjectStore, meta: BlockMeta): Promise<BlockIterator> {
    if (!READABLE_FORMATS.has(meta.format)) throw new TracelakeError(`block ${blockName(meta)}: unsupported format ${meta.format}`);
    const bytes = await read(meta, INDEX_NAME, () => store.get(blockObjectKey(meta.tenantID, meta.blockID, INDEX_NAME)));
    try {
      return new BlockIterator(store, meta, meta.format === FORMAT_TL1 ? pageUnits(new PageIndex(bytes)) : rowGroupUnits(new RowGroupIndex(bytes)));
    } catch (err) {
      throw corrupt(meta, INDEX_NAME, err);
    }
  }

  /** Pages (tl1) or row groups (tl2) of the block. */
  get pageCount(): number {
    return this.#units.count;
  }

  /** The next record, or undefined after the last one. */
  async next(): Promise<PageRecord | undefined> {
    while (this.#at >= this.#records.length) {
      if (this.#unit >= this.#units.count) return undefined;
      await this.#loadUnit();
    }
    const record = this.#records[this.#at++];
    this.#last = record.traceId;
    return record;
  }

  async #loadUnit(): Promise<void> {
    const i = this.#unit;
    const chunk = await (this.#ahead ?? this.#fetch(i));
    this.#ahead = undefined;
    this.#unit++;
    if (this.#unit < this.#units.count) this.#ahead = this.#readAhead(this.#unit);
    try {
      const records = this.#units.records(i, chunk);
      if (records.length === 0) throw new TracelakeError(`unit ${i} of the data object holds no traces`);
      if (this.#last !== undefined && compareTraceIds(this.#last, records[0].traceId) >= 0) {
        throw new TracelakeError(`unit at ${this.#units.range(i).offset} is out of trace ID order`);
      }
      this.#records = records;
      this.#at = 0;
    } catch (err) {
      throw corrupt(this.meta, DATA_NAME, err);
    }
  }

  /** Starts the read of the next unit while the current one is merged; awaited by the next #loadUnit. */
  #readAhead(i: number): Promise<Uint8Array> {
    const pending = this.#fetch(i);
    // Handled here so an iterator dropped early (a failed job) leaves no unhandled rejection behind.
    pending.catch(() => undefined);
    return pending;
  }

  #fetch(i: number): Promise<Uint8Array> {
    const { meta } = this;
    let ref;
    try {
      ref = this.#units.range(i);
    } catch (err) {
      return Promise.reject(corrupt(meta, INDEX_NAME, err));
    }
    const { offset, length } = ref;
    if (offset + length > meta.size) return Promise.reject(corrupt(meta, INDEX_NAME, new Error('unit past the end of data')));
    const key = blockObjectKey(meta.tenantID, meta.blockID, DATA_NAME);
    return read(meta, DATA_NAME, () => this.#store.getRange(key, offset, length));
  }
}

function pageUnits(index: PageIndex): DataUnits {
  return {
    count: index.pageCount,
    range: (i) => index.page(i),
    records(i, chunk) {
      const ref = index.page(i);
      const records = pageRecords(decodePage(chunk, ref));
      checkUnit(records, { ...ref, traces: ref.records });
      return records;
    },
  };
}

function rowGroupUnits(index: RowGroupIndex): DataUnits {
  return {
    count: index.groupCount,
    range: (i) => index.group(i),
    records(i, chunk) {
      const group = index.group(i);
      const rows = new RowGroupReader(decodeColumns(chunk, group));
      const cursor = rows.cursor();
      const records = Array.from({ length: rows.traceCount }, (_, t): PageRecord => ({ traceId: rows.traceId(t), trace: cursor.next() }));
      checkUnit(records, group);
      return records;
    },
  };
}

/** The unit holds what its index entry says, in order. */
function checkUnit(records: readonly PageRecord[], ref: { offset: number; traces: number; firstId: Uint8Array; lastId: Uint8Array }): void {
  if (records.length !== ref.traces || records.length === 0) {
    throw new TracelakeError(`unit at ${ref.offset} holds ${records.length} records, the index says ${ref.traces}`);
  }
  if (compareTraceIds(records[0].traceId, ref.firstId) !== 0 || compareTraceIds(records[records.length - 1].traceId, ref.lastId) !== 0) {
    throw new TracelakeError(`unit at ${ref.offset} does not hold the trace IDs its index entry names`);
  }
  for (let i = 1; i < records.length; i++) {
    if (compareTraceIds(records[i - 1].traceId, records[i].traceId) >= 0) throw new TracelakeError(`unit at ${ref.offset} is out of trace ID order`);
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
