import { zstdDecompressSync } from 'node:zlib';
import { TracelakeError } from '../../pipeline/errors.ts';
import type { TraceEntry } from './block-meta.ts';
import type { PageRef } from './page-index.ts';
import { PageCompressor } from './page-compressor.ts';
import { PageBuilder } from './page-records.ts';

// bench/block.bench.ts, 200k spans of 538 B: 512 KiB/zstd 3 = 57.8 B/span, 548k spans/CPU-s (256 KiB/3: 60.6, 444k; 1 MiB/3: 56.4; 512 KiB/6: 52.9 but 227k).
export const DEFAULT_PAGE_BYTES = 512 * 1024;
/** Higher levels cost 2.4× the CPU for 8% fewer bytes: worth it in the compactor (`zstdLevel`), not at ingest. */
export const DEFAULT_ZSTD_LEVEL = 3;

export interface PagesOptions {
  /** Uncompressed bytes per page (a page is cut once it reaches this). */
  readonly pageBytes: number;
  readonly zstdLevel: number;
}

/** The data object (compressed pages, concatenated) and the index entry of each page. */
export async function encodeDataPages(
  entries: readonly TraceEntry[], options: PagesOptions,
): Promise<{ data: Uint8Array; pages: PageRef[] }> {
  const chunks: Uint8Array[] = [];
  const pages: PageRef[] = [];
  const builder = new PageBuilder(options.pageBytes + 64 * 1024);
  const compressor = new PageCompressor(options.zstdLevel);
  let offset = 0;
  let first = 0;
  const cut = async (last: number): Promise<void> => {
    const records = builder.records;
    const page = builder.take();
    const chunk = await compressor.compress(page);
    chunks.push(chunk);
    pages.push({
      firstId: entries[first].traceId, lastId: entries[last].traceId,
      offset, length: chunk.length, uncompressedLength: page.length, records,
    });
    offset += chunk.length;
    first = last + 1;
  };
  try {
    for (let i = 0; i < entries.length; i++) {
      builder.append(entries[i].traceId, entries[i].trace);
      if (builder.byteLength >= options.pageBytes) await cut(i);
    }
    if (builder.records > 0) await cut(entries.length - 1);
  } finally {
    compressor.close();
  }
  return { data: Buffer.concat(chunks, offset), pages };
}

/** Decompresses one page read with its index entry; TracelakeError when it is not what the index says. */
export function decodePage(chunk: Uint8Array, ref: PageRef): Uint8Array {
  let page: Buffer;
  try {
    page = zstdDecompressSync(chunk, { maxOutputLength: Math.max(1, ref.uncompressedLength) });
  } catch (err) {
    throw new TracelakeError(`page at ${ref.offset} does not decompress: ${(err as Error).message}`, { cause: err });
  }
  if (page.length !== ref.uncompressedLength) {
    throw new TracelakeError(`page at ${ref.offset} holds ${page.length} bytes, the index says ${ref.uncompressedLength}`);
  }
  return new Uint8Array(page.buffer, page.byteOffset, page.length);
}
