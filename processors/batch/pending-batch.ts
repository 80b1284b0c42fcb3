import type { ResourceSpansRecord, TraceBatch } from '../../pipeline/trace-batch.ts';
import { Completion } from '../../pipeline/completion.ts';
import { splitResourceSpans } from './split-resource-spans.ts';

/** Spans on their way downstream together, and the callers waiting on them. */
export interface Chunk {
  readonly batch: TraceBatch;
  readonly waiting: readonly Completion[];
}

interface Part {
  resourceSpans: readonly ResourceSpansRecord[];
  spanCount: number;
  readonly completion: Completion;
}

/** One tenant's spans waiting to be sent, in arrival order. */
export class PendingBatch {
  #parts: Part[] = [];
  /** Index of the first part not yet taken; parts before it are dropped on the next compaction. */
  #head = 0;
  #spanCount = 0;
  timer: NodeJS.Timeout | undefined;

  get spanCount(): number {
    return this.#spanCount;
  }

  /** Queues a non-empty batch; the promise settles once every span of it was sent. */
  add(batch: TraceBatch): Promise<void> {
    const completion = new Completion(1);
    this.#parts.push({ resourceSpans: batch.resourceSpans, spanCount: batch.spanCount, completion });
    this.#spanCount += batch.spanCount;
    return completion.promise;
  }

  /** Takes up to `maxSpans` spans (Infinity for all), splitting a caller's batch at the boundary. */
  take(maxSpans: number): Chunk {
    const resourceSpans: ResourceSpansRecord[] = [];
    const waiting: Completion[] = [];
    let taken = 0;
    while (this.#head < this.#parts.length && taken < maxSpans) {
      const part = this.#parts[this.#head]!;
      const room = maxSpans - taken;
      waiting.push(part.completion);
      if (part.spanCount <= room) {
        for (const rs of part.resourceSpans) resourceSpans.push(rs);
        taken += part.spanCount;
        this.#head++;
      } else {
        const [head, tail] = splitResourceSpans(part.resourceSpans, room);
        for (const rs of head) resourceSpans.push(rs);
        part.resourceSpans = tail;
        part.spanCount -= room;
        part.completion.add();
        taken += room;
      }
    }
    if (this.#head === this.#parts.length) {
      this.#parts = [];
      this.#head = 0;
    }
    this.#spanCount -= taken;
    return { batch: { resourceSpans, spanCount: taken }, waiting };
  }
}
