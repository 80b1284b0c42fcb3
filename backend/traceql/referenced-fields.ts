import type { AttributeNode, FieldExpr, FieldRef, IntrinsicNode, PipelineNode, SpansetExpr } from './ast.ts';
import { isTraceIntrinsic } from './ast.ts';

/** A span's own field: event and link fields belong to one event or link, trace intrinsics to the trace. */
export type SpanFieldRef = IntrinsicNode | (AttributeNode & { readonly scope: 'span' | 'resource' | 'instrumentation' | 'none' });

const NOT_OF_SPAN = new Set(['event', 'link', 'eventName', 'eventTimeSinceStart', 'linkTraceId', 'linkSpanId']);

/**
 * The span-level attributes and intrinsics a query's filters and select() name, each once, in order of
 * appearance: what a search result shows on each matched span.
 */
export function referencedFields(p: PipelineNode): SpanFieldRef[] {
  const out = new Map<string, SpanFieldRef>();
  const add = (f: FieldRef): void => {
    if (f.kind === 'intrinsic' && (isTraceIntrinsic(f.intrinsic) || NOT_OF_SPAN.has(f.intrinsic))) return;
    if (f.kind === 'attribute' && NOT_OF_SPAN.has(f.scope)) return;
    const id = f.kind === 'intrinsic' ? `:${f.intrinsic}` : `${f.scope}.${f.name}`;
    if (!out.has(id)) out.set(id, f as SpanFieldRef);
  };
  walkPipeline(p, add);
  return [...out.values()];
}

function walkPipeline(p: PipelineNode, add: (f: FieldRef) => void): void {
  for (const s of p.stages) {
    if (s.kind === 'select') s.fields.forEach(add);
    else if (s.kind === 'filter' || s.kind === 'spansetOp' || s.kind === 'pipeline') walkSpanset(s, add);
  }
}

function walkSpanset(s: SpansetExpr, add: (f: FieldRef) => void): void {
  if (s.kind === 'pipeline') return walkPipeline(s, add);
  if (s.kind === 'spansetOp') {
    walkSpanset(s.lhs, add);
    walkSpanset(s.rhs, add);
    return;
  }
  if (s.expr !== undefined) walkField(s.expr, add);
}

function walkField(e: FieldExpr, add: (f: FieldRef) => void): void {
  switch (e.kind) {
    case 'attribute':
    case 'intrinsic': return add(e);
    case 'unary': return walkField(e.operand, add);
    case 'binary':
      walkField(e.lhs, add);
      walkField(e.rhs, add);
      return;
    default:
  }
}
