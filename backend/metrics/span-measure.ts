import type { FieldRef } from '../traceql/ast.ts';
import { attributeValue, intrinsicValue } from '../traceql/field-eval.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import type { AttributeValue } from '../traceql/value.ts';
import { log2Bucket } from './log2-histogram.ts';

/** The value of an attribute or intrinsic for one span (events and links unbound: nil). */
export function fieldValue(ref: FieldRef, span: Span, trace: TraceModel): AttributeValue {
  return ref.kind === 'intrinsic' ? intrinsicValue(ref.intrinsic, span, trace) : attributeValue(ref, span);
}

/**
 * The number sum/min/max/avg_over_time observe (Tempo's FloatizeAttribute): span duration in seconds, ints
 * and floats as they are, other durations in nanoseconds; NaN (skipped) for anything else or nothing.
 */
export function measure(ref: FieldRef, span: Span, trace: TraceModel): number {
  if (ref.kind === 'intrinsic' && ref.intrinsic === 'duration') return span.durationNanos / 1e9;
  const v = fieldValue(ref, span, trace);
  return v.type === 'int' || v.type === 'float' || v.type === 'duration' ? v.value : NaN;
}

/**
 * The histogram bucket of a span for quantile_over_time / histogram_over_time (Tempo's bucketize): durations
 * by their power-of-two nanoseconds, given in seconds; ints by their power of two; undefined (the span is
 * dropped) below 2, for floats and for non-numbers.
 */
export function bucketOf(ref: FieldRef, span: Span, trace: TraceModel): number | undefined {
  if (ref.kind === 'intrinsic' && ref.intrinsic === 'duration') return seconds(log2Bucket(span.durationNanos));
  const v = fieldValue(ref, span, trace);
  if (v.type === 'int') return log2Bucket(v.value);
  if (v.type === 'duration') return seconds(log2Bucket(v.value));
  return undefined;
}

function seconds(nanos: number | undefined): number | undefined {
  return nanos === undefined ? undefined : nanos / 1e9;
}
