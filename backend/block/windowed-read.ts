import type { ReadData } from './row-group-frames.ts';

/**
 * Reads of a scan that walks a data object forwards, served from windows of `windowBytes` fetched in one
 * request each: an object store request costs far more than the bytes next to it (an S3 GET ~0.5 ms of CPU
 * in the SDK, a local read an open/stat/close), and a scan's next reads are a few KiB further on. A read
 * larger than a window, or past the current one, starts a new window at its offset; reads inside a window
 * still being fetched wait for it. `size` bounds the windows (the object's length).
 */
export function windowedRead(read: ReadData, size: number, windowBytes: number): ReadData {
  let window: { start: number; end: number; bytes: Promise<Uint8Array> } | undefined;
  return async (offset, length) => {
    if (length >= windowBytes) return read(offset, length);
    if (window === undefined || offset < window.start || offset + length > window.end) {
      const end = Math.min(size, offset + windowBytes);
      const bytes = read(offset, end - offset);
      window = { start: offset, end, bytes };
    }
    const { start, bytes } = window;
    return (await bytes).subarray(offset - start, offset - start + length);
  };
}
