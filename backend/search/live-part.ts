import { combineTraces } from '../block/combine-trace.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { TraceModel } from '../traceql/span-model.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { hasSpansIn } from './gather-traces.ts';

/** One part of a trace as a live source hands it over, read by the live search and metrics jobs. */
export interface LivePart {
  /** Spans in the part, duplicates dropped. */
  readonly spanCount: number;
  /** The part as a model, only when it has spans in the range. */
  readonly trace: TraceModel | undefined;
}

/** A live part with its duplicate spans dropped (a client's retry), modelled only when it has spans in `range`. */
export function livePart(part: Uint8Array, range: TimeRange | undefined): LivePart {
  const combined = combineTraces([part]);
  const inRange = combined.spanCount > 0 && hasSpansIn(combined, range);
  return { spanCount: combined.spanCount, trace: inRange ? traceModel(combined.trace) : undefined };
}
