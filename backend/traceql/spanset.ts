import type { Span } from './span-model.ts';
import type { AttributeValue } from './value.ts';

/** A spanset attribute from by() (`by(resource.service.name)`) or an aggregate (`count()`). */
export interface SpansetAttribute {
  readonly key: string;
  readonly value: AttributeValue;
}

/** Spans of one trace, unique and in trace order, with the attributes pipeline stages gave the set. */
export interface Spanset {
  readonly spans: readonly Span[];
  readonly attributes: readonly SpansetAttribute[];
}

/** The spans of all `sets`, each once, in trace order. */
export function unionSpans(...sets: ReadonlyArray<readonly Spanset[]>): Span[] {
  const seen = new Set<Span>();
  for (const group of sets) for (const ss of group) for (const s of ss.spans) seen.add(s);
  return [...seen].sort((a, b) => a.index - b.index);
}
