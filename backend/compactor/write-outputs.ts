import type { BlockIterator } from '../block/block-iterator.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { StreamingBlockWriter } from '../block/streaming-block-writer.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { mergeBlockTraces } from './merge-traces.ts';

export interface WriteOutputsOptions {
  readonly store: ObjectStore;
  readonly tenant: string;
  readonly inputs: readonly BlockIterator[];
  /** ID of the i-th output block. */
  readonly outputId: (index: number) => string;
  readonly level: number;
  readonly maxBlockBytes: number;
  readonly zstdLevel: number;
  readonly pageSize?: number;
  readonly bloomFalsePositive: number;
  /** Awaited every few hundred traces: lets ingest in the same process go first (yield-to-ingest.ts). */
  readonly yieldToIngest?: () => Promise<void>;
}

export interface WrittenOutputs {
  /** Metas of the output blocks, written but not yet published (no meta.json). */
  readonly metas: BlockMeta[];
  readonly inputSpans: number;
  readonly outputSpans: number;
}

const TRACES_BETWEEN_YIELDS = 256;

/**
 * Streams the merged traces into output blocks, cutting a new one whenever the current one reaches
 * max_block_bytes; since the merge runs in trace ID order, the outputs cover disjoint ID ranges.
 */
export async function writeOutputs(options: WriteOutputsOptions): Promise<WrittenOutputs> {
  const metas: BlockMeta[] = [];
  let inputSpans = 0;
  let outputSpans = 0;
  let writer: StreamingBlockWriter | undefined;
  try {
    let traces = 0;
    for await (const merged of mergeBlockTraces(options.inputs)) {
      if (++traces % TRACES_BETWEEN_YIELDS === 0) await options.yieldToIngest?.();
      writer ??= newWriter(options, metas.length);
      await writer.add(merged.entry);
      inputSpans += merged.inputSpans;
      outputSpans += merged.entry.spanCount;
      if (writer.pendingBytes >= options.maxBlockBytes) {
        metas.push(await writer.finish());
        writer = undefined;
      }
    }
    if (writer !== undefined) metas.push(await writer.finish());
    return { metas, inputSpans, outputSpans };
  } finally {
    writer?.close();
  }
}

function newWriter(options: WriteOutputsOptions, index: number): StreamingBlockWriter {
  return new StreamingBlockWriter(options.store, {
    tenantID: options.tenant,
    blockID: options.outputId(index),
    bloomFalsePositive: options.bloomFalsePositive,
    pageSize: options.pageSize,
    zstdLevel: options.zstdLevel,
    compactionLevel: options.level,
  });
}
