import type { BlockDataEncoder } from './block-data-encoder.ts';
import type { TraceEntry } from './block-meta.ts';
import { PageCompressor } from './page-compressor.ts';
import { encodePageIndex, type PageRef } from './page-index.ts';
import { PageBuilder } from './page-records.ts';

/** tl1: records `trace ID | length | encoded Trace` in zstd pages of about `pageBytes` (uncompressed). */
export class PageDataEncoder implements BlockDataEncoder {
  readonly #pageBytes: number;
  readonly #builder: PageBuilder;
  readonly #compressor: PageCompressor;
  readonly #chunks: Uint8Array[] = [];
  readonly #pages: PageRef[] = [];
  #dataBytes = 0;
  #firstId: Uint8Array | undefined;
  #lastId: Uint8Array | undefined;

  constructor(pageBytes: number, zstdLevel: number) {
    this.#pageBytes = pageBytes;
    this.#builder = new PageBuilder(pageBytes + 64 * 1024);
    this.#compressor = new PageCompressor(zstdLevel);
  }

  get pendingBytes(): number {
    return this.#dataBytes + this.#builder.byteLength;
  }

  async add(entry: TraceEntry): Promise<void> {
    this.#firstId ??= entry.traceId.slice();
    this.#lastId = entry.traceId;
    this.#builder.append(entry.traceId, entry.trace);
    if (this.#builder.byteLength >= this.#pageBytes) await this.#cut();
  }

  async finish(): Promise<{ data: Uint8Array; index: Uint8Array }> {
    if (this.#builder.records > 0) await this.#cut();
    const data = Buffer.concat(this.#chunks, this.#dataBytes);
    this.#chunks.length = 0;
    return { data, index: encodePageIndex(this.#pages) };
  }

  close(): void {
    this.#compressor.close();
  }

  async #cut(): Promise<void> {
    const records = this.#builder.records;
    const page = this.#builder.take();
    const chunk = await this.#compressor.compress(page);
    this.#pages.push({
      firstId: this.#firstId!, lastId: this.#lastId!.slice(),
      offset: this.#dataBytes, length: chunk.length, uncompressedLength: page.length, records,
    });
    this.#chunks.push(chunk);
    this.#dataBytes += chunk.length;
    this.#firstId = undefined;
  }
}
