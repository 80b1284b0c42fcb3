import type { FieldExpr, PipelineNode, SpansetExpr, Stage, StaticNode } from '../traceql/ast.ts';
import { compareValues } from '../traceql/compare-values.ts';
import type { ComparisonOp } from '../traceql/ast.ts';
import { NIL } from '../traceql/value.ts';
import type { AttributeValue, Value } from '../traceql/value.ts';

/** Span intrinsics a row group's columns give for every span. */
export type ScanIntrinsic = 'name' | 'status' | 'statusMessage' | 'kind' | 'duration';

/** A span field the column scan reads; `any` is an unscoped `.x` (span attribute, else resource attribute). */
export type ScanField =
  | { readonly kind: 'span' | 'resource' | 'any'; readonly name: string }
  | { readonly kind: 'intrinsic'; readonly intrinsic: ScanIntrinsic };

/**
 * "The field's value passes `test`", where `test` is the engine's own comparison (compareValues), so a
 * column value is judged exactly as the reference engine judges it. Never true for a missing value.
 */
export interface SpanAtom {
  readonly kind: 'atom';
  readonly field: ScanField;
  readonly test: (v: AttributeValue) => boolean;
  /**
   * The literal `test` compares with (either side), undefined for a bare boolean field. Over the numbers
   * of one type, the values `test` passes are then an interval or all but one value, with ends at the
   * literal: a number range passes some value iff one of its ends or the literal does (group-summary-test.ts).
   */
  readonly literal?: Value;
  /** The comparison with `literal` (`=`: the test passes only values equal to it, whichever side it is on). */
  readonly op?: ComparisonOp;
}

/** A condition on one span; `any` = cannot tell from the columns, every span passes. */
export type SpanPred = SpanAtom | { readonly kind: 'and' | 'or'; readonly parts: readonly SpanPred[] } | { readonly kind: 'any' };

/** A condition on one trace; `keep` = cannot tell, every trace passes. */
export type TraceCond =
  | { readonly kind: 'some'; readonly pred: SpanPred }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly TraceCond[] }
  | { readonly kind: 'keep' };

const ANY: SpanPred = Object.freeze({ kind: 'any' });
const KEEP: TraceCond = Object.freeze({ kind: 'keep' });
const SCAN_INTRINSICS: ReadonlySet<string> = new Set<ScanIntrinsic>(['name', 'status', 'statusMessage', 'kind', 'duration']);

/**
 * A necessary condition for a trace to match `query`: a trace it rejects has no match in the reference
 * engine. Built from span filters ("some span satisfies P"); spanset `&&` and structural operators need
 * both sides, `||` either, negated structural operators their right side, every pipeline stage its spanset
 * filters (aggregates, by(), select() and coalesce() only drop or regroup spans). Whatever it cannot prove
 * (negation, arithmetic, event/link/trace fields, a comparison that a missing value passes) is `any` / `keep`.
 */
export function prefilterPlan(query: PipelineNode): TraceCond {
  return pipelineCond(query);
}

/**
 * Whether the query starts with a span filter the plan's atoms decide exactly: `{ … }` made only of
 * comparisons of a column field with a literal (or a bare boolean field) joined by `&&` / `||`. Then, when
 * the plan is that filter's condition alone, the spans that pass it (all judged PASS / FAIL) are exactly the
 * spans the engine's first stage keeps.
 */
export function startsWithExactFilter(query: PipelineNode): boolean {
  const [stage] = query.stages;
  return stage !== undefined && stage.kind === 'filter' && stage.expr !== undefined && exactExpr(stage.expr);
}

function exactExpr(e: FieldExpr): boolean {
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) return exactExpr(e.lhs) && exactExpr(e.rhs);
  return spanPred(e).kind === 'atom';
}

function pipelineCond(p: PipelineNode): TraceCond {
  return and(p.stages.map(stageCond));
}

function stageCond(s: Stage): TraceCond {
  switch (s.kind) {
    case 'filter':
    case 'spansetOp':
    case 'pipeline':
      return spansetCond(s);
    default:
      return KEEP;
  }
}

function spansetCond(e: SpansetExpr): TraceCond {
  switch (e.kind) {
    case 'pipeline': return pipelineCond(e);
    case 'filter': {
      const pred = e.expr === undefined ? ANY : spanPred(e.expr);
      return pred.kind === 'any' ? KEEP : { kind: 'some', pred };
    }
    case 'spansetOp': {
      if (e.op === '||') return or([spansetCond(e.lhs), spansetCond(e.rhs)]);
      if (e.op.startsWith('!')) return spansetCond(e.rhs);
      return and([spansetCond(e.lhs), spansetCond(e.rhs)]);
    }
  }
}

/** A span for which the filter expression is true passes the returned predicate. */
function spanPred(e: FieldExpr): SpanPred {
  if (e.kind === 'binary') {
    if (e.op === '&&') return andPred([spanPred(e.lhs), spanPred(e.rhs)]);
    if (e.op === '||') return orPred([spanPred(e.lhs), spanPred(e.rhs)]);
    const op = e.op as ComparisonOp;
    if (!COMPARISONS.has(op)) return ANY;
    if (e.rhs.kind === 'static') return atom(e.lhs, (v) => compareValues(op, v, (e.rhs as StaticNode).value), { literal: e.rhs.value, op });
    if (e.lhs.kind === 'static') return atom(e.rhs, (v) => compareValues(op, (e.lhs as StaticNode).value, v), { literal: e.lhs.value, op });
    return ANY;
  }
  // A bare field is true only when it holds the boolean true.
  return atom(e, (v) => v.type === 'bool' && v.value, undefined);
}

const COMPARISONS: ReadonlySet<string> = new Set(['=', '!=', '>', '>=', '<', '<=', '=~', '!~']);

function atom(e: FieldExpr, test: (v: AttributeValue) => boolean, comparison: { literal: Value; op: ComparisonOp } | undefined): SpanPred {
  const field = scanField(e);
  // A comparison a missing value passes (`= nil`) says nothing the columns of present values can show.
  if (field === undefined || test(NIL)) return ANY;
  return { kind: 'atom', field, test, ...comparison };
}

function scanField(e: FieldExpr): ScanField | undefined {
  if (e.kind === 'intrinsic') return SCAN_INTRINSICS.has(e.intrinsic) ? { kind: 'intrinsic', intrinsic: e.intrinsic as ScanIntrinsic } : undefined;
  if (e.kind !== 'attribute') return undefined;
  if (e.scope === 'span' || e.scope === 'resource') return { kind: e.scope, name: e.name };
  if (e.scope === 'none') return { kind: 'any', name: e.name };
  return undefined;
}

function andPred(parts: SpanPred[]): SpanPred {
  const known = parts.filter((p) => p.kind !== 'any');
  return known.length === 0 ? ANY : known.length === 1 ? known[0] : { kind: 'and', parts: known };
}

function orPred(parts: SpanPred[]): SpanPred {
  return parts.some((p) => p.kind === 'any') ? ANY : { kind: 'or', parts };
}

function and(parts: TraceCond[]): TraceCond {
  const known = parts.filter((p) => p.kind !== 'keep');
  return known.length === 0 ? KEEP : known.length === 1 ? known[0] : { kind: 'and', parts: known };
}

function or(parts: TraceCond[]): TraceCond {
  return parts.some((p) => p.kind === 'keep') ? KEEP : { kind: 'or', parts };
}

/**
 * Whether a trace of a row group with `spans` spans may satisfy `cond` when `atomMay` tells whether some
 * span of the group may pass an atom (three-valued logic folded to "may": and = every, or = some).
 */
export function condMayHold(cond: TraceCond, spans: number, atomMay: (atom: SpanAtom) => boolean): boolean {
  const pred = (p: SpanPred): boolean => {
    switch (p.kind) {
      case 'atom': return atomMay(p);
      case 'and': return p.parts.every(pred);
      case 'or': return p.parts.some(pred);
      case 'any': return true;
    }
  };
  const trace = (c: TraceCond): boolean => {
    switch (c.kind) {
      case 'some': return spans > 0 && pred(c.pred);
      case 'and': return c.parts.every(trace);
      case 'or': return c.parts.some(trace);
      case 'keep': return true;
    }
  };
  return trace(cond);
}

/** Every atom of the condition, each once. */
export function condAtoms(cond: TraceCond): SpanAtom[] {
  const out = new Set<SpanAtom>();
  const walkPred = (p: SpanPred): void => {
    if (p.kind === 'atom') out.add(p);
    else if (p.kind !== 'any') p.parts.forEach(walkPred);
  };
  const walk = (c: TraceCond): void => {
    if (c.kind === 'some') walkPred(c.pred);
    else if (c.kind !== 'keep') c.parts.forEach(walk);
  };
  walk(cond);
  return [...out];
}
