import type { ByNode, PipelineNode, ScalarFilterNode, SpansetExpr, SpansetOpNode, Stage, StructuralOp } from './ast.ts';
import { aggregate } from './aggregate.ts';
import { aggregateToString, fieldToString } from './ast-string.ts';
import { compareValues } from './compare-values.ts';
import { evalField, matchesFilter } from './field-eval.ts';
import { unionSpans } from './spanset.ts';
import type { Spanset } from './spanset.ts';
import type { Span, TraceModel } from './span-model.ts';
import { relatedBoth, relatedRight, unrelatedRight } from './structural.ts';
import type { AttributeValue } from './value.ts';

/** Runs the stages of a pipeline in order over the spansets of one trace. */
export function evalPipeline(p: PipelineNode, input: readonly Spanset[], trace: TraceModel): Spanset[] {
  let sets = input as Spanset[];
  for (const stage of p.stages) {
    if (sets.length === 0) break;
    sets = evalStage(stage, sets, trace);
  }
  return sets;
}

function evalStage(stage: Stage, input: Spanset[], trace: TraceModel): Spanset[] {
  switch (stage.kind) {
    case 'scalarFilter': return input.flatMap((ss) => scalarFilter(stage, ss, trace));
    case 'by': return input.flatMap((ss) => groupBy(stage, ss, trace));
    case 'select': return input;
    case 'coalesce': return [{ spans: unionSpans(input), attributes: [] }];
    default: return evalSpanset(stage, input, trace);
  }
}

function evalSpanset(e: SpansetExpr, input: Spanset[], trace: TraceModel): Spanset[] {
  switch (e.kind) {
    case 'pipeline': return evalPipeline(e, input, trace);
    case 'spansetOp': return input.flatMap((ss) => spansetOp(e, ss, trace));
    case 'filter': {
      const out: Spanset[] = [];
      for (const ss of input) {
        const spans = e.expr === undefined ? ss.spans : ss.spans.filter((s) => matchesFilter(e.expr, s, trace));
        if (spans.length > 0) out.push({ spans, attributes: ss.attributes });
      }
      return out;
    }
  }
}

/** Like Tempo, both sides see one input spanset at a time. */
function spansetOp(e: SpansetOpNode, ss: Spanset, trace: TraceModel): Spanset[] {
  const lhs = evalSpanset(e.lhs, [ss], trace);
  const rhs = evalSpanset(e.rhs, [ss], trace);
  let spans: Span[];
  if (e.op === '&&') spans = lhs.length > 0 && rhs.length > 0 ? unionSpans(lhs, rhs) : [];
  else if (e.op === '||') spans = unionSpans(lhs, rhs);
  else spans = structural(e.op, unionSpans(lhs), unionSpans(rhs), trace);
  return spans.length > 0 ? [{ spans, attributes: ss.attributes }] : [];
}

function structural(op: string, lhs: Span[], rhs: Span[], trace: TraceModel): Span[] {
  if (op.startsWith('&')) return relatedBoth(op.slice(1) as StructuralOp, lhs, rhs, trace);
  if (op.startsWith('!')) return unrelatedRight(op.slice(1) as StructuralOp, lhs, rhs, trace);
  return relatedRight(op as StructuralOp, lhs, rhs, trace);
}

function scalarFilter(f: ScalarFilterNode, ss: Spanset, trace: TraceModel): Spanset[] {
  const value = aggregate(f.lhs, ss, trace);
  if (!compareValues(f.op, value, f.rhs.value)) return [];
  return [{ spans: ss.spans, attributes: [...ss.attributes, { key: aggregateToString(f.lhs), value }] }];
}

/** Splits a spanset by the value of the expression; spans without a value form their own (nil) group. */
function groupBy(b: ByNode, ss: Spanset, trace: TraceModel): Spanset[] {
  const key = `by(${fieldToString(b.expr)})`;
  const groups = new Map<string, { value: AttributeValue; spans: Span[] }>();
  for (const s of ss.spans) {
    const value = evalField(b.expr, s, trace);
    const id = groupKey(value);
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { value, spans: [] }));
    g.spans.push(s);
  }
  return [...groups.values()].map((g) => ({ spans: g.spans, attributes: [...ss.attributes, { key, value: g.value }] }));
}

function groupKey(v: AttributeValue): string {
  switch (v.type) {
    case 'nil': return 'nil';
    case 'array': return `array:${JSON.stringify(v.values)}`;
    case 'opaque': return `opaque:${v.what}`;
    // int 3, float 3 and duration 3ns are different groups, as in Tempo's map keyed by typed static.
    default: return `${v.type}:${String(v.value)}`;
  }
}
