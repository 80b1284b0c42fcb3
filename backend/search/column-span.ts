import type { Span, SpanEvent, SpanLink } from '../traceql/span-model.ts';
import type { AttributeValue } from '../traceql/value.ts';
import type { ScopeInfo } from './dict-entries.ts';

/**
 * What a ColumnSpan reads its fields from: one row group's decoded columns (row-group-models.ts), by span
 * row. Each value is exactly what decoding the rebuilt trace would give.
 */
export interface SpanColumns {
  spanId(row: number): string;
  /** '' for none (or all zeros), as the OTLP reader gives it. */
  parentSpanId(row: number, first: number): string;
  name(row: number): string;
  kind(row: number): number;
  statusCode(row: number): number;
  statusMessage(row: number): string;
  startUnixNano(row: number, trace: number): bigint;
  endUnixNano(row: number, trace: number): bigint;
  durationNanos(row: number, trace: number): number;
  /** The span's first attribute of that key, as the engine's first-key-wins map holds it. */
  attribute(row: number, key: string): AttributeValue | undefined;
  attributes(row: number): Map<string, AttributeValue>;
  resource(row: number): ReadonlyMap<string, AttributeValue>;
  scope(row: number): ScopeInfo;
  events(row: number, start: bigint): readonly SpanEvent[];
  links(row: number): readonly SpanLink[];
}

/** The children of every leaf span: most spans are leaves, and none need an array of their own. */
export const NO_CHILDREN: Span[] = Object.freeze([]) as unknown as Span[];

/** The trace a ColumnSpan belongs to: its ID, its index in the row group and its first span row. */
export interface TraceRows {
  readonly traceId: string;
  readonly trace: number;
  readonly first: number;
}

/**
 * The engine's Span read from block columns on demand: a search reads a few fields of most spans (the ones
 * its filter names, and those a result shows), so none is decoded before it is asked for. The tree links
 * (`parent`, `children`) are set by the builder, as buildTrace sets them.
 */
export class ColumnSpan implements Span {
  readonly traceId: string;
  readonly index: number;
  parent: Span | undefined = undefined;
  /** NO_CHILDREN (shared, frozen) until the builder gives the span a child. */
  children: Span[] = NO_CHILDREN;
  readonly #columns: SpanColumns;
  readonly #at: TraceRows;
  readonly #row: number;
  #start: bigint | undefined;
  #attributes: ReadonlyMap<string, AttributeValue> | undefined;
  #events: readonly SpanEvent[] | undefined;
  #links: readonly SpanLink[] | undefined;

  /** The index-th span of the trace: row `first + index` of the group. */
  constructor(columns: SpanColumns, trace: TraceRows, index: number) {
    this.#columns = columns;
    this.traceId = trace.traceId;
    this.index = index;
    this.#at = trace;
    this.#row = trace.first + index;
  }

  get spanId(): string { return this.#columns.spanId(this.#row); }
  get parentSpanId(): string { return this.#columns.parentSpanId(this.#row, this.#at.first); }
  get name(): string { return this.#columns.name(this.#row); }
  get kind(): number { return this.#columns.kind(this.#row); }
  get statusCode(): number { return this.#columns.statusCode(this.#row); }
  get statusMessage(): string { return this.#columns.statusMessage(this.#row); }
  get startUnixNano(): bigint { return (this.#start ??= this.#columns.startUnixNano(this.#row, this.#at.trace)); }
  get endUnixNano(): bigint { return this.#columns.endUnixNano(this.#row, this.#at.trace); }
  get durationNanos(): number { return this.#columns.durationNanos(this.#row, this.#at.trace); }
  get attributes(): ReadonlyMap<string, AttributeValue> { return (this.#attributes ??= new AttributeView(this.#columns, this.#row)); }
  get resource(): ReadonlyMap<string, AttributeValue> { return this.#columns.resource(this.#row); }
  get scopeName(): string { return this.#columns.scope(this.#row).scopeName; }
  get scopeVersion(): string { return this.#columns.scope(this.#row).scopeVersion; }
  get scopeAttributes(): ReadonlyMap<string, AttributeValue> { return this.#columns.scope(this.#row).scopeAttributes; }
  get events(): readonly SpanEvent[] { return (this.#events ??= this.#columns.events(this.#row, this.startUnixNano)); }
  get links(): readonly SpanLink[] { return (this.#links ??= this.#columns.links(this.#row)); }
}

/** A span's attributes as a map: single keys looked up in the columns, the whole map built only when walked. */
class AttributeView implements ReadonlyMap<string, AttributeValue> {
  readonly #columns: SpanColumns;
  readonly #row: number;
  #all: Map<string, AttributeValue> | undefined;

  constructor(columns: SpanColumns, row: number) {
    this.#columns = columns;
    this.#row = row;
  }

  get(key: string): AttributeValue | undefined {
    return this.#all !== undefined ? this.#all.get(key) : this.#columns.attribute(this.#row, key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.#map().size;
  }

  forEach(visit: (value: AttributeValue, key: string, map: ReadonlyMap<string, AttributeValue>) => void, thisArg?: unknown): void {
    this.#map().forEach((value, key) => visit.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, AttributeValue]> {
    return this.#map().entries();
  }

  keys(): MapIterator<string> {
    return this.#map().keys();
  }

  values(): MapIterator<AttributeValue> {
    return this.#map().values();
  }

  [Symbol.iterator](): MapIterator<[string, AttributeValue]> {
    return this.#map()[Symbol.iterator]();
  }

  #map(): Map<string, AttributeValue> {
    return (this.#all ??= this.#columns.attributes(this.#row));
  }
}
