import type { BlockDataEncoder } from './block-data-encoder.ts';
import type { TraceEntry } from './block-meta.ts';
import { PageCompressor } from './page-compressor.ts';
import { RowGroupBuilder } from './row-group-builder.ts';
import { compressColumns } from './row-group-data.ts';
import { encodeRowGroupIndex, type RowGroupRef } from './row-group-index.ts';

/** Encoded OTLP bytes per row group (about 2,000 spans of 500 bytes); see bench/block.bench.ts. */
export const DEFAULT_ROW_GROUP_BYTES = 1024 * 1024;

/**
 * tl2: traces go into row groups of about `rowGroupBytes` of encoded OTLP; each full group is turned into
 * columns and compressed at once, so memory holds the compressed groups and one group being filled.
 */
export class RowGroupDataEncoder implements BlockDataEncoder {
  readonly #rowGroupBytes: number;
  readonly #compressor: PageCompressor;
  readonly #chunks: Uint8Array[] = [];
  readonly #groups: RowGroupRef[] = [];
  #builder = new RowGroupBuilder();
  #dataBytes = 0;
  #firstId: Uint8Array | undefined;
  #lastId: Uint8Array | undefined;
  #spans = 0;
  #startMs = Infinity;
  #endMs = -Infinity;

  constructor(rowGroupBytes: number, zstdLevel: number) {
    this.#rowGroupBytes = rowGroupBytes;
    this.#compressor = new PageCompressor(zstdLevel);
  }

  get pendingBytes(): number {
    return this.#dataBytes + this.#builder.inputBytes;
  }

  async add(entry: TraceEntry): Promise<void> {
    this.#firstId ??= entry.traceId.slice();
    this.#lastId = entry.traceId;
    this.#spans += entry.spanCount;
    this.#startMs = Math.min(this.#startMs, Math.floor(entry.startUnixNano / 1e6));
    this.#endMs = Math.max(this.#endMs, Math.ceil(Math.max(entry.endUnixNano, entry.startUnixNano) / 1e6));
    this.#builder.add(entry.traceId, entry.trace);
    if (this.#builder.inputBytes >= this.#rowGroupBytes) await this.#cut();
  }

  async finish(): Promise<{ data: Uint8Array; index: Uint8Array }> {
    if (this.#builder.traces > 0) await this.#cut();
    const data = Buffer.concat(this.#chunks, this.#dataBytes);
    this.#chunks.length = 0;
    return { data, index: encodeRowGroupIndex(this.#groups) };
  }

  close(): void {
    this.#compressor.close();
  }

  async #cut(): Promise<void> {
    const builder = this.#builder;
    this.#builder = new RowGroupBuilder();
    const { chunks, frames, columns, length } = await compressColumns(builder.finish(), this.#compressor);
    const summary = builder.summary();
    this.#groups.push({
      firstId: this.#firstId!, lastId: this.#lastId!.slice(), offset: this.#dataBytes, length,
      traces: builder.traces, spans: this.#spans,
      startMs: Math.max(0, this.#startMs), endMs: Math.max(0, this.#endMs), frames, columns,
      ...(summary === undefined ? {} : { summary }),
    });
    this.#chunks.push(...chunks);
    this.#dataBytes += length;
    this.#firstId = undefined;
    this.#spans = 0;
    this.#startMs = Infinity;
    this.#endMs = -Infinity;
  }
}
