import { zstdDecompressSync } from 'node:zlib';
import { TracelakeError } from '../../pipeline/errors.ts';
import type { PageRef } from './page-index.ts';

// tl1 pages (page-data-encoder.ts). bench/block.bench.ts, 200k spans of 538 B: 512 KiB/zstd 3 = 57.8 B/span, 548k spans/CPU-s (256 KiB/3: 60.6, 444k; 1 MiB/3: 56.4; 512 KiB/6: 52.9 but 227k).
export const DEFAULT_PAGE_BYTES = 512 * 1024;
/** Higher levels cost 2.4× the CPU for 8% fewer bytes: worth it in the compactor (`zstdLevel`), not at ingest. */
export const DEFAULT_ZSTD_LEVEL = 3;

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
