import { TracelakeError } from '../../pipeline/errors.ts';
import type { BlockIterator } from '../block/block-iterator.ts';
import type { TraceEntry } from '../block/block-meta.ts';
import { TraceCombiner } from '../block/combine-trace.ts';
import type { PageRecord } from '../block/page-record-list.ts';
import { compareTraceIds, traceIdToHex } from '../block/trace-id.ts';

/** One trace of the merged output and what merging it took. */
export interface MergedTrace {
  readonly entry: TraceEntry;
  /** Spans in the inputs' parts, duplicates included. */
  readonly inputSpans: number;
}

/**
 * k-way merge of blocks by trace ID: each step takes the smallest head ID, the parts of that trace from every
 * input holding it (in input order), and combines them (duplicate spans dropped). Inputs advance a record at
 * a time, so memory is a page or two per input whatever the blocks' sizes. k is small (max_input_blocks),
 * so a linear scan of the heads beats a heap.
 */
export async function* mergeBlockTraces(inputs: readonly BlockIterator[]): AsyncGenerator<MergedTrace> {
  const heads: (PageRecord | undefined)[] = await Promise.all(inputs.map((it) => it.next()));
  for (;;) {
    let min: Uint8Array | undefined;
    for (const head of heads) {
      if (head !== undefined && (min === undefined || compareTraceIds(head.traceId, min) < 0)) min = head.traceId;
    }
    if (min === undefined) return;
    const combiner = new TraceCombiner();
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head === undefined || compareTraceIds(head.traceId, min) !== 0) continue;
      combiner.add(head.trace);
      heads[i] = await inputs[i].next();
    }
    if (combiner.rejectedSpans > 0) {
      throw new TracelakeError(`trace ${traceIdToHex(min)} holds ${combiner.rejectedSpans} span(s) with invalid IDs: refusing to drop them`);
    }
    if (combiner.spanCount === 0) continue; // nothing to keep, and no time range to window it by
    const combined = combiner.result();
    yield { entry: { traceId: min, ...combined }, inputSpans: combiner.inputSpans };
  }
}
