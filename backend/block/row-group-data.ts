import { zstdDecompressSync } from 'node:zlib';
import { TracelakeError } from '../../pipeline/errors.ts';
import type { PageCompressor } from './page-compressor.ts';
import type { ColumnBytes } from './row-group-builder.ts';
import { CODEC_ZSTD, type ColumnRef, type FrameRef, type RowGroupRef } from './row-group-index.ts';
import type { RowGroupColumns } from './row-group-reader.ts';

// bench/block.bench.ts, 1 MiB row groups: a frame per column = 49 frames, 29.9 B/span, 1.7 ms to decompress
// them all; columns >= 8 KiB alone and the rest bundled up to 32 KiB = 7 frames, 30.7 B/span, 0.37 ms.
/** A column at least this big gets a frame of its own. */
export const OWN_FRAME_BYTES = 8 * 1024;
/** Smaller columns are bundled, in column order, into frames of about this size. */
export const BUNDLE_BYTES = 32 * 1024;

/**
 * The row group's columns in zstd frames (each with its checksum): big columns alone, small neighbours
 * bundled, so that a search reads little more than the columns it needs and a lookup decompresses few frames.
 */
export async function compressColumns(
  columns: readonly ColumnBytes[], compressor: PageCompressor,
): Promise<{ chunks: Uint8Array[]; frames: FrameRef[]; columns: ColumnRef[]; length: number }> {
  const chunks: Uint8Array[] = [];
  const frames: FrameRef[] = [];
  const refs: ColumnRef[] = [];
  let offset = 0;
  let bundle: ColumnBytes[] = [];
  let bundled = 0;
  const cut = async (parts: readonly ColumnBytes[], rawLength: number): Promise<void> => {
    const frame = frames.length;
    let at = 0;
    for (const { name, bytes } of parts) {
      refs.push({ name, frame, offset: at, length: bytes.length });
      at += bytes.length;
    }
    const packed = await compressor.compress(parts.length === 1 ? parts[0].bytes : Buffer.concat(parts.map((p) => p.bytes), rawLength));
    chunks.push(packed);
    frames.push({ offset, length: packed.length, rawLength, codec: CODEC_ZSTD });
    offset += packed.length;
  };
  for (const column of columns) {
    if (column.bytes.length >= OWN_FRAME_BYTES) {
      await cut([column], column.bytes.length);
      continue;
    }
    bundle.push(column);
    bundled += column.bytes.length;
    if (bundled >= BUNDLE_BYTES) {
      await cut(bundle, bundled);
      bundle = [];
      bundled = 0;
    }
  }
  if (bundle.length > 0) await cut(bundle, bundled);
  return { chunks, frames, columns: refs, length: offset };
}

/**
 * The columns of a row group read with one ranged read (all of them, or those `wanted`), as views into
 * their decompressed frames; TracelakeError when a frame is not what the index says.
 */
export function decodeColumns(chunk: Uint8Array, group: RowGroupRef, wanted?: ReadonlySet<string>): RowGroupColumns {
  if (chunk.length !== group.length) throw new TracelakeError(`row group at ${group.offset} is ${chunk.length} bytes, the index says ${group.length}`);
  const plain: (Uint8Array | undefined)[] = [];
  const out = new Map<string, Uint8Array>();
  for (const c of group.columns) {
    if (wanted !== undefined && !wanted.has(c.name)) continue;
    const f = group.frames[c.frame];
    const frame = (plain[c.frame] ??= decodeFrame(chunk.subarray(f.offset, f.offset + f.length), f, group));
    out.set(c.name, frame.subarray(c.offset, c.offset + c.length));
  }
  return out;
}

/** One frame's column bytes from its stored (compressed) bytes; TracelakeError when it is not what the index says. */
export function decodeFrame(bytes: Uint8Array, f: FrameRef, group: RowGroupRef): Uint8Array {
  if (f.codec !== CODEC_ZSTD) throw new TracelakeError(`frame at ${group.offset + f.offset} has unknown codec ${f.codec}`);
  let plain: Buffer;
  try {
    plain = zstdDecompressSync(bytes, { maxOutputLength: Math.max(1, f.rawLength), chunkSize: Math.max(64, f.rawLength) });
  } catch (err) {
    throw new TracelakeError(`frame at ${group.offset + f.offset} does not decompress: ${(err as Error).message}`, { cause: err });
  }
  if (plain.length !== f.rawLength) throw new TracelakeError(`frame at ${group.offset + f.offset} holds ${plain.length} bytes, the index says ${f.rawLength}`);
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
}
