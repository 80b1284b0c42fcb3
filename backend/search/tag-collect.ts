import type { FieldRef, PipelineNode } from '../traceql/ast.ts';
import { evaluate, type TraceMatch } from '../traceql/evaluate.ts';
import { intrinsicValue } from '../traceql/field-eval.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import type { AttributeValue, Value } from '../traceql/value.ts';
import { ATTRIBUTE_SCOPES, type AttributeTagScope, type TypedTagValue } from './tag-service.ts';
import { typedTagValue } from './tag-value-type.ts';

/** The spans of `trace` a tag request looks at: those in the query's resulting span sets, or all. */
export function matchingSpans(trace: TraceModel, filter: PipelineNode | undefined): readonly Span[] {
  if (filter === undefined) return trace.spans;
  const [match] = evaluate(filter, [trace]);
  return match === undefined ? [] : matchedSpans(match);
}

/** The spans in a match's resulting span sets, each once. */
export function matchedSpans(match: TraceMatch): Span[] {
  const seen = new Set<Span>();
  for (const ss of match.spanSets) for (const s of ss.spans) seen.add(s.span);
  return [...seen];
}

/**
 * Tempo's `max_bytes_per_tag_values_query` default (1,000,000 bytes): a tag answer holds at most this many
 * bytes of names (their UTF-16 length), or of values (type and value); past it, collecting stops and the
 * answer is what was held, as in Tempo's distinct collectors.
 */
export const MAX_TAG_BYTES = 1_000_000;

/** When collecting stops: `limit` distinct entries held (0 = no limit), or `maxBytes` reached. */
export interface TagBounds {
  readonly limit: number;
  readonly maxBytes: number;
}

const DEFAULT_BOUNDS: TagBounds = { limit: 0, maxBytes: MAX_TAG_BYTES };

/** Attribute names by scope, gathered over spans (or straight from block columns: `addName`). */
export class TagNameCollector {
  readonly #names: Record<AttributeTagScope, Set<string>> = {
    resource: new Set(), span: new Set(), event: new Set(), link: new Set(), instrumentation: new Set(),
  };
  readonly #bounds: TagBounds;
  #bytes = 0;
  #exceeded = false;

  /** `bounds.limit` counts per scope: collecting stops once every scope holds that many. */
  constructor(bounds: TagBounds = DEFAULT_BOUNDS) {
    this.#bounds = bounds;
  }

  /** Whether collecting more can no longer change the answer's bounded content. */
  get full(): boolean {
    const { limit } = this.#bounds;
    return this.#exceeded || (limit > 0 && ATTRIBUTE_SCOPES.every((s) => this.#names[s].size >= limit));
  }

  add(span: Span): void {
    this.#addKeys('resource', span.resource);
    this.#addKeys('span', span.attributes);
    this.#addKeys('instrumentation', span.scopeAttributes);
    for (const e of span.events) this.#addKeys('event', e.attributes);
    for (const l of span.links) this.#addKeys('link', l.attributes);
  }

  addName(scope: AttributeTagScope, name: string): void {
    const into = this.#names[scope];
    if (this.#exceeded || into.has(name)) return;
    if (this.#bytes + name.length >= this.#bounds.maxBytes) {
      this.#exceeded = true;
      return;
    }
    this.#bytes += name.length;
    into.add(name);
  }

  #addKeys(scope: AttributeTagScope, attributes: ReadonlyMap<string, unknown>): void {
    for (const key of attributes.keys()) this.addName(scope, key);
  }

  result(): Record<AttributeTagScope, string[]> {
    const out = {} as Record<AttributeTagScope, string[]>;
    for (const scope of ATTRIBUTE_SCOPES) out[scope] = [...this.#names[scope]].sort(byCodeUnits);
    return out;
  }
}

/**
 * Typed values of one field, gathered over spans (or straight from block columns: `addValue`); arrays give
 * their elements, key-value lists and bytes nothing.
 */
export class TagValueCollector {
  readonly field: FieldRef;
  readonly #values = new Map<string, TypedTagValue>();
  readonly #bounds: TagBounds;
  #bytes = 0;
  #exceeded = false;

  constructor(field: FieldRef, bounds: TagBounds = DEFAULT_BOUNDS) {
    this.field = field;
    this.#bounds = bounds;
  }

  /** Whether `limit` distinct values are held or the byte cap was reached. */
  get full(): boolean {
    return this.#exceeded || (this.#bounds.limit > 0 && this.#values.size >= this.#bounds.limit);
  }

  add(span: Span, trace: TraceModel): void {
    for (const v of fieldValues(this.field, span, trace)) this.addValue(v);
  }

  addValue(v: AttributeValue): void {
    if (v.type === 'array') {
      for (const e of v.values) this.addValue(e);
      return;
    }
    if (v.type === 'opaque' || this.#exceeded) return;
    const typed = typedTagValue(v);
    if (typed === undefined) return;
    const key = `${typed.type}\u0000${typed.value}`;
    if (this.#values.has(key)) return;
    const size = typed.type.length + typed.value.length;
    if (this.#bytes + size >= this.#bounds.maxBytes) {
      this.#exceeded = true;
      return;
    }
    this.#bytes += size;
    this.#values.set(key, typed);
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
