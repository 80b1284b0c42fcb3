/** The contract of a block scan (scan-block.ts), apart so that the format-specific scans share it. */
import type { TimeRange } from '../querier/trace-source.ts';
import type { PipelineNode } from '../traceql/ast.ts';
import type { TraceMatch } from '../traceql/evaluate.ts';

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

/**
 * Called for every trace of the block the query matches; returning true stops the scan. A match from a tl2
 * block reads its spans' fields from the row group's columns when first asked: read what is needed here
 * (holding on to a match holds its row group's columns in memory).
 */
export type OnMatch = (match: TraceMatch) => boolean | void;

/** Whether a trace has spans in the range (unix seconds, end inclusive). */
export function overlaps(t: { readonly startUnixNano: bigint; readonly endUnixNano: bigint }, range: TimeRange | undefined): boolean {
  return range === undefined || (t.startUnixNano < BigInt(range.end + 1) * 1_000_000_000n && t.endUnixNano >= BigInt(range.start) * 1_000_000_000n);
}
