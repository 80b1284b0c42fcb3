import type { AttributeNode, BinaryNode, FieldExpr, Intrinsic, UnaryNode } from './ast.ts';
import { compareValues } from './compare-values.ts';
import { bindings } from './event-link-binding.ts';
import type { Binding } from './event-link-binding.ts';
import type { Span, TraceModel } from './span-model.ts';
import { boolValue, isNumericType, KINDS, NIL, STATUSES } from './value.ts';
import type { AttributeValue, Value } from './value.ts';

const UNBOUND: Binding = { event: undefined, link: undefined };

/** The value of a field expression for one span of `trace` (and one of its events / links); NIL when none. */
export function evalField(e: FieldExpr, span: Span, trace: TraceModel, bound: Binding = UNBOUND): AttributeValue {
  switch (e.kind) {
    case 'static': return e.value;
    case 'attribute': return attributeValue(e, span, bound);
    case 'intrinsic': return intrinsicValue(e.intrinsic, span, trace, bound);
    case 'unary': return unary(e, span, trace, bound);
    case 'binary': return binary(e, span, trace, bound);
  }
}

/**
 * Whether a span matches a filter. A filter naming event (link) fields matches when it holds for one of
 * the span's events (links), so `{ event:name = "x" && event.a = 1 }` needs both on the same event.
 */
export function matchesFilter(e: FieldExpr | undefined, span: Span, trace: TraceModel): boolean {
  if (e === undefined) return true;
  for (const bound of bindings(e, span)) {
    const v = evalField(e, span, trace, bound);
    if (v.type === 'bool' && v.value) return true;
  }
  return false;
}

/** Unscoped `.x` reads the span attribute first, then the resource attribute. */
export function attributeValue(a: AttributeNode, span: Span, bound: Binding = UNBOUND): AttributeValue {
  switch (a.scope) {
    case 'span': return span.attributes.get(a.name) ?? NIL;
    case 'resource': return span.resource.get(a.name) ?? NIL;
    case 'instrumentation': return span.scopeAttributes.get(a.name) ?? NIL;
    case 'event': return bound.event?.attributes.get(a.name) ?? NIL;
    case 'link': return bound.link?.attributes.get(a.name) ?? NIL;
    case 'none': return span.attributes.get(a.name) ?? span.resource.get(a.name) ?? NIL;
  }
}

export function intrinsicValue(i: Intrinsic, span: Span, trace: TraceModel, bound: Binding = UNBOUND): Value {
  switch (i) {
    case 'name': return { type: 'string', value: span.name };
    case 'status': return { type: 'status', value: STATUSES[span.statusCode] ?? 'unset' };
    case 'statusMessage': return { type: 'string', value: span.statusMessage };
    case 'kind': return { type: 'kind', value: KINDS[span.kind] ?? 'unspecified' };
    case 'duration': return { type: 'duration', value: span.durationNanos };
    case 'childCount': return { type: 'int', value: span.children.length };
    case 'spanId': return { type: 'string', value: span.spanId };
    case 'parentId': return span.parentSpanId === '' ? NIL : { type: 'string', value: span.parentSpanId };
    case 'instrumentationName': return { type: 'string', value: span.scopeName };
    case 'instrumentationVersion': return { type: 'string', value: span.scopeVersion };
    case 'eventName': return bound.event === undefined ? NIL : { type: 'string', value: bound.event.name };
    case 'eventTimeSinceStart':
      return bound.event === undefined ? NIL : { type: 'duration', value: Number(bound.event.timeUnixNano - span.startUnixNano) };
    case 'linkTraceId': return bound.link === undefined ? NIL : { type: 'string', value: bound.link.traceId };
    case 'linkSpanId': return bound.link === undefined ? NIL : { type: 'string', value: bound.link.spanId };
    case 'traceDuration': return { type: 'duration', value: trace.durationNanos };
    case 'rootName': return trace.root === undefined ? NIL : { type: 'string', value: trace.root.name };
    case 'rootServiceName': return rootService(trace);
    // Tempo's form: lowercase hex without leading zeros, as search results show trace IDs.
    case 'traceId': return { type: 'string', value: trace.traceId.replace(/^0+(?=.)/, '') };
  }
}

function rootService(trace: TraceModel): Value {
  const v = trace.root?.resource.get('service.name');
  return v !== undefined && v.type === 'string' ? v : NIL;
}

function unary(e: UnaryNode, span: Span, trace: TraceModel, bound: Binding): AttributeValue {
  const v = evalField(e.operand, span, trace, bound);
  if (e.op === '!') return v.type === 'bool' ? boolValue(!v.value) : NIL;
  if (v.type === 'int' || v.type === 'float' || v.type === 'duration') return { type: v.type, value: -v.value };
  return NIL;
}

function binary(e: BinaryNode, span: Span, trace: TraceModel, bound: Binding): AttributeValue {
  if (e.op === '&&' || e.op === '||') {
    const l = evalField(e.lhs, span, trace, bound);
    const lt = l.type === 'bool' && l.value;
    if (e.op === '&&' && !lt) return boolValue(false);
    if (e.op === '||' && lt) return boolValue(true);
    const r = evalField(e.rhs, span, trace, bound);
    return boolValue(r.type === 'bool' && r.value);
  }
  const l = evalField(e.lhs, span, trace, bound);
  const r = evalField(e.rhs, span, trace, bound);
  switch (e.op) {
    case '+': case '-': case '*': case '/': case '%': case '^':
      return arithmetic(e.op, l, r);
    default:
      return boolValue(compareValues(e.op, l, r));
  }
}

function arithmetic(op: string, l: AttributeValue, r: AttributeValue): Value {
  if (!isNumericType(l.type) || !isNumericType(r.type)) return NIL;
  const a = (l as { value: number }).value;
  const b = (r as { value: number }).value;
  const result = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : op === '%' ? a % b : a ** b;
  if (!Number.isFinite(result)) return NIL;
  if (l.type === 'float' || r.type === 'float' || op === '/' || op === '^') return { type: 'float', value: result };
  return { type: l.type === 'duration' || r.type === 'duration' ? 'duration' : 'int', value: Math.trunc(result) };
}
