/** The typed AST of a TraceQL query. Every node keeps the position it starts at, for error messages. */
import type { Position } from './traceql-error.ts';
import type { Value } from './value.ts';

/** Span- and trace-level intrinsics, by their canonical id. */
export const SPAN_INTRINSICS = [
  'name', 'status', 'statusMessage', 'kind', 'duration', 'childCount', 'spanId', 'parentId',
  'instrumentationName', 'instrumentationVersion',
  'eventName', 'eventTimeSinceStart', 'linkTraceId', 'linkSpanId',
] as const;
export const TRACE_INTRINSICS = ['traceDuration', 'rootName', 'rootServiceName', 'traceId'] as const;
export type Intrinsic = typeof SPAN_INTRINSICS[number] | typeof TRACE_INTRINSICS[number];

export type AttributeScope = 'span' | 'resource' | 'instrumentation' | 'event' | 'link' | 'none';

export interface StaticNode { readonly kind: 'static'; readonly value: Value; readonly text: string; readonly pos: Position }
export interface IntrinsicNode {
  readonly kind: 'intrinsic';
  readonly intrinsic: Intrinsic;
  /** As written: `duration`, `span:duration` … */
  readonly text: string;
  readonly pos: Position;
}
export interface AttributeNode {
  readonly kind: 'attribute';
  readonly scope: AttributeScope;
  readonly name: string;
  readonly pos: Position;
}

export type ComparisonOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type LogicalOp = '&&' | '||';
export type BinaryOp = ComparisonOp | ArithmeticOp | LogicalOp;

export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: FieldExpr;
  readonly rhs: FieldExpr;
  /** Position of the left operand: where the operation starts. */
  readonly pos: Position;
}
export interface UnaryNode { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: FieldExpr; readonly pos: Position }

export type FieldExpr = StaticNode | IntrinsicNode | AttributeNode | BinaryNode | UnaryNode;
export type FieldRef = IntrinsicNode | AttributeNode;

/** `{ expr }`; `{}` has no expression and matches every span. */
export interface FilterNode { readonly kind: 'filter'; readonly expr: FieldExpr | undefined; readonly pos: Position }

export const STRUCTURAL_OPS = ['>', '<', '>>', '<<', '~'] as const;
export type StructuralOp = typeof STRUCTURAL_OPS[number];
/** `&&` `||`, structural `> < >> << ~`, their union forms `&> …` and negations `!> …`. */
export type SpansetOp = '&&' | '||' | StructuralOp | `&${StructuralOp}` | `!${StructuralOp}`;

export interface SpansetOpNode {
  readonly kind: 'spansetOp';
  readonly op: SpansetOp;
  readonly lhs: SpansetExpr;
  readonly rhs: SpansetExpr;
  readonly pos: Position;
}

export type SpansetExpr = FilterNode | SpansetOpNode | PipelineNode;

export type AggregateFn = 'count' | 'min' | 'max' | 'avg' | 'sum';
export interface AggregateNode { readonly kind: 'aggregate'; readonly fn: AggregateFn; readonly arg: FieldExpr | undefined; readonly pos: Position }

export type ScalarOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
/** `count() > 2`, `avg(duration) >= 1s`: keeps the spansets whose aggregate compares true. */
export interface ScalarFilterNode {
  readonly kind: 'scalarFilter';
  readonly op: ScalarOp;
  readonly lhs: AggregateNode;
  readonly rhs: StaticNode;
  readonly pos: Position;
}
export interface ByNode { readonly kind: 'by'; readonly expr: FieldExpr; readonly pos: Position }
export interface SelectNode { readonly kind: 'select'; readonly fields: readonly FieldRef[]; readonly pos: Position }
export interface CoalesceNode { readonly kind: 'coalesce'; readonly pos: Position }

export type Stage = SpansetExpr | ScalarFilterNode | ByNode | SelectNode | CoalesceNode;

/** Stages joined by `|`; a parenthesized pipeline is also a spanset expression. */
export interface PipelineNode { readonly kind: 'pipeline'; readonly stages: readonly Stage[]; readonly pos: Position }

export function isTraceIntrinsic(i: Intrinsic): boolean {
  return (TRACE_INTRINSICS as readonly string[]).includes(i);
}

/** The first-stage metrics functions, by their TraceQL name. */
export const METRICS_FNS = [
  'rate', 'count_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'avg_over_time',
  'quantile_over_time', 'histogram_over_time',
] as const;
export type MetricsFn = typeof METRICS_FNS[number];

/** `| rate() by (resource.service.name)`, `| quantile_over_time(duration, .5, .99)`: turns spans into series. */
export interface MetricsNode {
  readonly kind: 'metrics';
  readonly fn: MetricsFn;
  /** The attribute measured; undefined for rate() and count_over_time(). */
  readonly attr: FieldRef | undefined;
  /** quantile_over_time's quantiles, as written. */
  readonly quantiles: readonly number[];
  readonly by: readonly FieldRef[];
  readonly pos: Position;
}

/** `| topk(n)` / `| bottomk(n)` after the metrics stage: keeps n series per timestamp. */
export interface SecondStageNode { readonly kind: 'topk' | 'bottomk'; readonly limit: number; readonly pos: Position }

/** A metrics query: the span filter (an ordinary pipeline), the metrics stage, and an optional second stage. */
export interface MetricsQueryNode {
  readonly filter: PipelineNode;
  readonly metrics: MetricsNode;
  readonly second: SecondStageNode | undefined;
}
