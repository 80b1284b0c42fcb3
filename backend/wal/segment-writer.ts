import { open, type FileHandle } from 'node:fs/promises';
import { segmentPath } from './segment-file.ts';

interface QueuedWrite {
  readonly segment: number;
  readonly offset: number;
  readonly buffers: readonly Uint8Array[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Bounds of one writev: the iovec limit and enough bytes to amortise the syscall. */
const MAX_GROUP_BUFFERS = 1024;
const MAX_GROUP_BYTES = 32 * 1024 * 1024;

export interface SegmentWriterOptions {
  readonly dir: string;
  /** Called when a write to `segment` failed: later records must not land behind the hole it may leave. */
  readonly onSegmentFailed: (segment: number) => void;
}

/**
 * Group commit: writes queued while the previous write runs (or within one event-loop turn) go out as one
 * writev, strictly in order, so a segment never has a hole before an acknowledged record. No fsync: a
 * completed write is in the OS page cache and survives kill -9 of the process, not a power loss; blocks in
 * object storage are the durable copy.
 */
export class SegmentWriter {
  readonly #dir: string;
  readonly #onSegmentFailed: (segment: number) => void;
  #queue: QueuedWrite[] = [];
  #handle: FileHandle | undefined;
  #handleSegment = -1;
  #failedSegment = -1;
  #loop: Promise<void> | undefined;

  constructor(options: SegmentWriterOptions) {
    this.#dir = options.dir;
    this.#onSegmentFailed = options.onSegmentFailed;
  }

  /** Resolves once the bytes are written at `offset` of `segment`. */
  write(segment: number, offset: number, buffers: readonly Uint8Array[], bytes: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ segment, offset, buffers, bytes, resolve, reject });
      this.#loop ??= this.#run();
    });
  }

  /** Waits for every queued write, then closes the open segment. */
  async close(): Promise<void> {
    while (this.#loop) await this.#loop;
    await this.#closeHandle();
  }

  /** Never rejects: every failure goes to the writes it concerns. */
  async #run(): Promise<void> {
    // One event-loop turn lets the appends of concurrent requests join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const group = this.#takeGroup();
      try {
        await this.#writeGroup(group);
        for (const w of group) w.resolve();
      } catch (err) {
        this.#failSegment(group, err);
      }
    }
    this.#loop = undefined;
  }

  #takeGroup(): QueuedWrite[] {
    const first = this.#queue[0];
    let count = 1;
    let buffers = first.buffers.length;
    let end = first.offset + first.bytes;
    for (; count < this.#queue.length; count++) {
      const next = this.#queue[count];
      if (next.segment !== first.segment || next.offset !== end) break;
      if (buffers + next.buffers.length > MAX_GROUP_BUFFERS || end + next.bytes - first.offset > MAX_GROUP_BYTES) break;
      buffers += next.buffers.length;
      end += next.bytes;
    }
    return this.#queue.splice(0, count);
  }

  async #writeGroup(group: readonly QueuedWrite[]): Promise<void> {
    const segment = group[0].segment;
    if (segment === this.#failedSegment) throw new Error(`an earlier write to WAL segment ${segment} failed`);
    const handle = await this.#handleFor(segment);
    let buffers = group.flatMap((w) => w.buffers);
    let position = group[0].offset;
    for (;;) {
      const { bytesWritten } = await handle.writev(buffers, position);
      position += bytesWritten;
      buffers = unwritten(buffers, bytesWritten);
      if (buffers.length === 0) return;
    }
  }

  #failSegment(group: readonly QueuedWrite[], err: unknown): void {
    const segment = group[0].segment;
    this.#failedSegment = segment;
    for (const w of group) w.reject(err);
    // Queued records of the failed segment would sit behind a hole: refuse them too.
    const rest = this.#queue.filter((w) => w.segment === segment);
    this.#queue = this.#queue.filter((w) => w.segment !== segment);
    for (const w of rest) w.reject(err);
    this.#onSegmentFailed(segment);
  }

  async #handleFor(segment: number): Promise<FileHandle> {
    if (this.#handle && this.#handleSegment === segment) return this.#handle;
    await this.#closeHandle();
    // 'wx': a segment is written by one writer, once; an existing file means something is wrong.
    this.#handle = await open(segmentPath(this.#dir, segment), 'wx');
    this.#handleSegment = segment;
    return this.#handle;
  }

  async #closeHandle(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#handleSegment = -1;
    await handle?.close();
  }
}

/** What is left of `buffers` after the first `written` bytes. */
function unwritten(buffers: readonly Uint8Array[], written: number): Uint8Array[] {
  let i = 0;
  while (i < buffers.length && written >= buffers[i].length) written -= buffers[i++].length;
  if (i === buffers.length) return [];
  return [buffers[i].subarray(written), ...buffers.slice(i + 1)];
}
