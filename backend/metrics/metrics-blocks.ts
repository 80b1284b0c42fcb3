import type { BlockMeta } from '../block/block-meta.ts';
import { scanBlock } from '../search/scan-block.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { JobCounter } from './job-counter.ts';
import type { MetricsJobResult, MetricsWork } from './metrics-job.ts';
import { secondsRange } from './time-grid.ts';

/**
 * A block job of a metrics query: each block scanned in turn (scanBlock with the query's filter), each
 * stored trace evaluated as Tempo evaluates a block's part of a trace. Spans of different blocks are
 * counted as distinct: replays write the same spans twice only until compaction merges them, as in Tempo.
 * Spans in the live job's intervals are held back for the merge (job-counter.ts).
 */
export async function metricsBlocks(
  store: ObjectStore, blocks: readonly BlockMeta[], work: MetricsWork, signal?: AbortSignal,
): Promise<MetricsJobResult> {
  const counter = new JobCounter(work, false);
  const scan = { query: work.request.query.filter, range: secondsRange(work.request.grid) };
  for (const meta of blocks) {
    signal?.throwIfAborted();
    const scanned = await scanBlock(store, meta, scan, counter.observe, signal);
    counter.stats.blocks++;
    counter.stats.inspectedTraces += scanned.inspectedTraces;
    counter.stats.inspectedSpans += scanned.inspectedSpans;
    counter.stats.inspectedBytes += scanned.inspectedBytes;
  }
  return counter.result();
}
