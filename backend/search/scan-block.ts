import { BlockIterator } from '../block/block-iterator.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PipelineNode } from '../traceql/ast.ts';
import { evaluate, type TraceMatch } from '../traceql/evaluate.ts';
import { traceModel } from '../traceql/trace-model.ts';

/** What a scan looks for. */
export interface BlockScan {
  readonly query: PipelineNode;
  /** Unix seconds, inclusive; traces without spans in it are skipped. Undefined = all. */
  readonly range?: TimeRange;
}

/** What a scan looked at (Tempo's SearchMetrics). */
export interface ScanStats {
  inspectedTraces: number;
  inspectedSpans: number;
  inspectedBytes: number;
}

/** Called for every trace of the block the query matches; returning true stops the scan. */
export type OnMatch = (match: TraceMatch) => boolean | void;

/**
 * Every trace of one block that matches the query, evaluated by the reference engine one stored trace at a
 * time (a trace split over blocks is matched part by part, as Tempo does).
 */
export async function scanBlock(
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

/** Whether a trace has spans in the range (unix seconds, end inclusive). */
export function overlaps(t: { readonly startUnixNano: bigint; readonly endUnixNano: bigint }, range: TimeRange | undefined): boolean {
  return range === undefined || (t.startUnixNano < BigInt(range.end + 1) * 1_000_000_000n && t.endUnixNano >= BigInt(range.start) * 1_000_000_000n);
}
