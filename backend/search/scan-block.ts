import { BlockIterator } from '../block/block-iterator.ts';
import { FORMAT_TL2 } from '../block/block-layout.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { traceModel } from '../traceql/trace-model.ts';
import type { BlockScan, OnMatch, ScanStats } from './block-scan.ts';
import { overlaps } from './block-scan.ts';
import { scanRowGroups } from './scan-row-groups.ts';

export type { BlockScan, OnMatch, ScanStats } from './block-scan.ts';
export { overlaps } from './block-scan.ts';

/**
 * Every trace of one block that matches the query, exactly as the reference engine matches each stored
 * trace (a trace split over blocks is matched part by part, as Tempo does). tl2 blocks are scanned column by
 * column (scan-row-groups.ts): only traces the filter columns cannot rule out are modelled. Stats: the traces
 * and spans of the row groups (tl1: traces) in the time range, and the bytes read from the store.
 */
export async function scanBlock(
  store: ObjectStore, meta: BlockMeta, scan: BlockScan, onMatch: OnMatch, signal?: AbortSignal,
): Promise<ScanStats> {
  if (meta.format === FORMAT_TL2) return scanRowGroups(store, meta, scan, onMatch, signal);
  return scanWhole(store, meta, scan, onMatch, signal);
}

/** Decodes every trace (tl1 blocks). */
async function scanWhole(
  store: ObjectStore, meta: BlockMeta, scan: BlockScan, onMatch: OnMatch, signal?: AbortSignal,
): Promise<ScanStats> {
  const stats: ScanStats = { inspectedTraces: 0, inspectedSpans: 0, inspectedBytes: 0 };
  const it = await BlockIterator.open(store, meta);
  for (let record = await it.next(); record !== undefined; record = await it.next()) {
    signal?.throwIfAborted();
    const trace = traceModel(record.trace);
    stats.inspectedTraces++;
    stats.inspectedSpans += trace.spans.length;
    stats.inspectedBytes += record.trace.byteLength;
    if (!overlaps(trace, scan.range)) continue;
    const [match] = evaluate(scan.query, [trace]);
    if (match !== undefined && onMatch(match) === true) break;
  }
  return stats;
}
