import type { FieldRef, PipelineNode } from '../traceql/ast.ts';
import { evaluate } from '../traceql/evaluate.ts';
import { intrinsicValue } from '../traceql/field-eval.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import type { AttributeValue, Value } from '../traceql/value.ts';
import { ATTRIBUTE_SCOPES, type AttributeTagScope, type TypedTagValue } from './tag-service.ts';
import { typedTagValue } from './tag-value-type.ts';

/** The spans of `trace` a tag request looks at: those in the query's resulting span sets, or all. */
export function matchingSpans(trace: TraceModel, filter: PipelineNode | undefined): readonly Span[] {
  if (filter === undefined) return trace.spans;
  const [match] = evaluate(filter, [trace]);
  if (match === undefined) return [];
  const seen = new Set<Span>();
  for (const ss of match.spanSets) for (const s of ss.spans) seen.add(s.span);
  return [...seen];
}

/** Attribute names by scope, gathered over spans. */
export class TagNameCollector {
  readonly #names: Record<AttributeTagScope, Set<string>> = {
    resource: new Set(), span: new Set(), event: new Set(), link: new Set(), instrumentation: new Set(),
  };

  add(span: Span): void {
    addKeys(this.#names.resource, span.resource);
    addKeys(this.#names.span, span.attributes);
    addKeys(this.#names.instrumentation, span.scopeAttributes);
    for (const e of span.events) addKeys(this.#names.event, e.attributes);
    for (const l of span.links) addKeys(this.#names.link, l.attributes);
  }

  result(): Record<AttributeTagScope, string[]> {
    const out = {} as Record<AttributeTagScope, string[]>;
    for (const scope of ATTRIBUTE_SCOPES) out[scope] = [...this.#names[scope]].sort(byCodeUnits);
    return out;
  }
}

function addKeys(into: Set<string>, attributes: ReadonlyMap<string, unknown>): void {
  for (const key of attributes.keys()) into.add(key);
}

/** Typed values of one field, gathered over spans; arrays give their elements, key-value lists and bytes nothing. */
export class TagValueCollector {
  readonly #field: FieldRef;
  readonly #values = new Map<string, TypedTagValue>();

  constructor(field: FieldRef) {
    this.#field = field;
  }

  add(span: Span, trace: TraceModel): void {
    for (const v of fieldValues(this.#field, span, trace)) this.#addValue(v);
  }

  #addValue(v: AttributeValue): void {
    if (v.type === 'array') {
      for (const e of v.values) this.#addValue(e);
      return;
    }
    if (v.type === 'opaque') return;
    const typed = typedTagValue(v);
    if (typed !== undefined) this.#values.set(`${typed.type}\u0000${typed.value}`, typed);
  }

  result(): TypedTagValue[] {
    return sortTypedValues([...this.#values.values()]);
  }
}

/** Every value the field has on a span: unscoped attributes read both the span's and the resource's. */
function fieldValues(f: FieldRef, span: Span, trace: TraceModel): AttributeValue[] {
  if (f.kind === 'intrinsic') {
    switch (f.intrinsic) {
      case 'eventName': return span.events.map((e): Value => ({ type: 'string', value: e.name }));
      case 'linkTraceId': return span.links.map((l): Value => ({ type: 'string', value: l.traceId }));
      case 'linkSpanId': return span.links.map((l): Value => ({ type: 'string', value: l.spanId }));
      default: return [intrinsicValue(f.intrinsic, span, trace)];
    }
  }
  const present = (v: AttributeValue | undefined): AttributeValue[] => (v === undefined ? [] : [v]);
  switch (f.scope) {
    case 'span': return present(span.attributes.get(f.name));
    case 'resource': return present(span.resource.get(f.name));
    case 'instrumentation': return present(span.scopeAttributes.get(f.name));
    case 'none': return [...present(span.attributes.get(f.name)), ...present(span.resource.get(f.name))];
    case 'event': return span.events.flatMap((e) => present(e.attributes.get(f.name)));
    case 'link': return span.links.flatMap((l) => present(l.attributes.get(f.name)));
  }
}

export function sortTypedValues(values: TypedTagValue[]): TypedTagValue[] {
  return values.sort((a, b) => byCodeUnits(a.value, b.value) || byCodeUnits(a.type, b.type));
}

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
