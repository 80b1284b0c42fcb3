import type { AggregateNode, AttributeNode, FieldExpr, PipelineNode, SpansetExpr, Stage } from './ast.ts';

/** Canonical text of a query: parsing it again gives the same AST (positions aside). */
export function queryToString(p: PipelineNode): string {
  return p.stages.map(stageToString).join(' | ');
}

export function stageToString(s: Stage): string {
  switch (s.kind) {
    case 'scalarFilter': return `${aggregateToString(s.lhs)} ${s.op} ${s.rhs.text}`;
    case 'by': return `by(${fieldToString(s.expr)})`;
    case 'select': return `select(${s.fields.map(fieldToString).join(', ')})`;
    case 'coalesce': return 'coalesce()';
    default: return spansetToString(s);
  }
}

function spansetToString(s: SpansetExpr): string {
  switch (s.kind) {
    case 'filter': return s.expr === undefined ? '{ }' : `{ ${fieldToString(s.expr)} }`;
    case 'pipeline': return `(${queryToString(s)})`;
    case 'spansetOp': return `${wrapSpanset(s.lhs)} ${s.op} ${wrapSpanset(s.rhs)}`;
  }
}

function wrapSpanset(s: SpansetExpr): string {
  return s.kind === 'spansetOp' ? `(${spansetToString(s)})` : spansetToString(s);
}

export function aggregateToString(a: AggregateNode): string {
  return `${a.fn}(${a.arg === undefined ? '' : fieldToString(a.arg)})`;
}

export function fieldToString(e: FieldExpr): string {
  switch (e.kind) {
    case 'static': return e.text;
    case 'intrinsic': return e.text;
    case 'attribute': return attributeToString(e);
    case 'unary': return `${e.op}${wrapField(e.operand)}`;
    case 'binary': return `${wrapField(e.lhs)} ${e.op} ${wrapField(e.rhs)}`;
  }
}

function wrapField(e: FieldExpr): string {
  return e.kind === 'binary' ? `(${fieldToString(e)})` : fieldToString(e);
}

export function attributeToString(a: AttributeNode): string {
  const prefix = a.scope === 'none' ? '.' : `${a.scope}.`;
  const plain = /^[^\s{}()=~!<>&|^,"]+$/.test(a.name);
  return plain ? prefix + a.name : `${prefix}"${a.name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
