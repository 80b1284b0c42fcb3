import type { BinaryNode, FieldExpr, Intrinsic, PipelineNode, SpansetExpr, Stage, UnaryNode } from './ast.ts';
import { aggregateToString, fieldToString } from './ast-string.ts';
import { compileRegex } from './regex.ts';
import { errorAt } from './traceql-error.ts';
import { isNumericType } from './value.ts';
import type { ValueType } from './value.ts';

/** A static type; 'attribute' is an attribute whose type is known only per span. */
export type ImpliedType = ValueType | 'attribute';

const INTRINSIC_TYPES: Readonly<Record<Intrinsic, ImpliedType>> = {
  name: 'string', status: 'status', statusMessage: 'string', kind: 'kind', duration: 'duration',
  childCount: 'int', spanId: 'string', parentId: 'string',
  instrumentationName: 'string', instrumentationVersion: 'string',
  eventName: 'string', eventTimeSinceStart: 'duration', linkTraceId: 'string', linkSpanId: 'string',
  traceDuration: 'duration', rootName: 'string', rootServiceName: 'string', traceId: 'string',
};
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '^']);
const ORDERING = new Set(['<', '<=', '>', '>=']);

/** Tempo's static checks (its validate()): operand types, boolean filters, numeric aggregates, valid regexes. */
export function checkQuery(p: PipelineNode): void {
  for (const s of p.stages) checkStage(s);
}

function checkStage(s: Stage): void {
  switch (s.kind) {
    case 'scalarFilter': {
      const arg = s.lhs.arg;
      if (arg !== undefined) {
        const t = typeOf(arg);
        if (t !== 'attribute' && !isNumericType(t)) {
          throw errorAt(`aggregate field expressions must resolve to a number type: ${aggregateToString(s.lhs)}`, s.lhs.pos);
        }
        if (!referencesSpan(arg)) throw errorAt(`aggregate field expressions must reference the span: ${aggregateToString(s.lhs)}`, s.lhs.pos);
      }
      if (!isNumericType(s.rhs.value.type)) {
        throw errorAt(`binary operations must operate on the same type: ${aggregateToString(s.lhs)} ${s.op} ${s.rhs.text}`, s.rhs.pos);
      }
      return;
    }
    case 'by':
      typeOf(s.expr);
      if (!referencesSpan(s.expr)) throw errorAt(`by() expressions must reference the span: ${fieldToString(s.expr)}`, s.expr.pos);
      return;
    case 'select':
    case 'coalesce':
      return;
    default:
      checkSpanset(s);
  }
}

function checkSpanset(s: SpansetExpr): void {
  if (s.kind === 'pipeline') return checkQuery(s);
  if (s.kind === 'spansetOp') {
    checkSpanset(s.lhs);
    checkSpanset(s.rhs);
    return;
  }
  if (s.expr === undefined) return;
  const t = typeOf(s.expr);
  if (t !== 'bool' && t !== 'attribute') {
    throw errorAt(`filter field expressions must resolve to a boolean: ${fieldToString(s.expr)}`, s.expr.pos);
  }
}

/** The implied type of a field expression; throws TraceQLError at the first ill-typed operation. */
export function typeOf(e: FieldExpr): ImpliedType {
  switch (e.kind) {
    case 'static': return e.value.type;
    case 'intrinsic': return INTRINSIC_TYPES[e.intrinsic];
    case 'attribute': return 'attribute';
    case 'unary': return unaryType(e);
    case 'binary': return binaryType(e);
  }
}

function unaryType(e: UnaryNode): ImpliedType {
  const t = typeOf(e.operand);
  const ok = e.op === '!' ? t === 'bool' || t === 'attribute' : t === 'attribute' || isNumericType(t);
  if (!ok) throw errorAt(`illegal operation for the given type: ${fieldToString(e)}`, e.pos);
  return e.op === '!' ? 'bool' : t;
}

function binaryType(e: BinaryNode): ImpliedType {
  const l = typeOf(e.lhs);
  const r = typeOf(e.rhs);
  const matching = l === r || l === 'attribute' || r === 'attribute' || l === 'nil' || r === 'nil' ||
    (isNumericType(l) && isNumericType(r));
  if (!matching) throw errorAt(`binary operations must operate on the same type: ${fieldToString(e)}`, e.pos);
  if (!operandsValid(e.op, l) || !operandsValid(e.op, r)) {
    throw errorAt(`illegal operation for the given types: ${fieldToString(e)}`, e.pos);
  }
  if (e.op === '=~' || e.op === '!~') checkRegex(e);
  if (!ARITHMETIC.has(e.op)) return 'bool';
  if (l === 'float' || r === 'float' || e.op === '/' || e.op === '^') return l === 'attribute' && r === 'attribute' ? 'attribute' : 'float';
  if (l === 'attribute' || r === 'attribute') return 'attribute';
  return l === 'duration' || r === 'duration' ? 'duration' : 'int';
}

function operandsValid(op: string, t: ImpliedType): boolean {
  if (t === 'attribute') return true;
  if (t === 'nil') return op === '=' || op === '!=';
  if (ARITHMETIC.has(op)) return isNumericType(t);
  if (op === '&&' || op === '||') return t === 'bool';
  if (ORDERING.has(op)) return isNumericType(t) || t === 'string';
  if (op === '=~' || op === '!~') return t === 'string';
  return true;
}

function checkRegex(e: BinaryNode): void {
  if (e.rhs.kind !== 'static' || e.rhs.value.type !== 'string') return;
  try {
    compileRegex(e.rhs.value.value);
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw errorAt(`invalid regex ${e.rhs.text}: ${reason}`, e.rhs.pos);
  }
}

function referencesSpan(e: FieldExpr): boolean {
  switch (e.kind) {
    case 'static': return false;
    case 'intrinsic':
    case 'attribute': return true;
    case 'unary': return referencesSpan(e.operand);
    case 'binary': return referencesSpan(e.lhs) || referencesSpan(e.rhs);
  }
}
