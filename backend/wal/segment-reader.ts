import { open, type FileHandle } from 'node:fs/promises';
import { TracelakeError } from '../../pipeline/errors.ts';
import { segmentPath } from './segment-file.ts';

/** Positional reads from one segment file. */
export class SegmentReader {
  readonly segment: number;
  readonly #handle: FileHandle;

  private constructor(segment: number, handle: FileHandle) {
    this.segment = segment;
    this.#handle = handle;
  }

  static async open(dir: string, segment: number): Promise<SegmentReader> {
    return new SegmentReader(segment, await open(segmentPath(dir, segment), 'r'));
  }

  /** Fills `target` with the bytes at `position`; the range must lie inside the file. */
  async readInto(target: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await this.#handle.read(target, done, target.length - done, position + done);
      if (bytesRead === 0) {
        throw new TracelakeError(`WAL segment ${this.segment} ends before offset ${position + target.length}`);
      }
      done += bytesRead;
    }
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
