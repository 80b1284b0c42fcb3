/** The in-memory span model the reference engine evaluates: one decoded trace with parent links. */
import type { AttributeValue } from './value.ts';

export interface SpanEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: ReadonlyMap<string, AttributeValue>;
}

export interface SpanLink {
  /** Lowercase hex. */
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: ReadonlyMap<string, AttributeValue>;
}

export interface SpanData {
  /** Lowercase hex. */
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind number (0 unspecified … 5 consumer). */
  readonly kind: number;
  /** OTLP StatusCode number (0 unset, 1 ok, 2 error). */
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly startUnixNano: bigint;
  readonly endUnixNano: bigint;
  readonly attributes: ReadonlyMap<string, AttributeValue>;
  readonly resource: ReadonlyMap<string, AttributeValue>;
  readonly scopeName: string;
  readonly scopeVersion: string;
  /** Attributes of the instrumentation scope. */
  readonly scopeAttributes: ReadonlyMap<string, AttributeValue>;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
}

export interface Span extends SpanData {
  /** Position in the trace, in encoded order: the order spans are returned in. */
  readonly index: number;
  readonly durationNanos: number;
  /** The parent span, when it is in the trace. */
  parent: Span | undefined;
  readonly children: Span[];
}

export interface TraceModel {
  readonly traceId: string;
  readonly spans: readonly Span[];
  /** The first span without a parent span ID, if the trace has one. */
  readonly root: Span | undefined;
  readonly startUnixNano: bigint;
  readonly endUnixNano: bigint;
  readonly durationNanos: number;
  /** Spans in depth-first pre-order from the roots (children in encoded order). */
  readonly preorder: readonly Span[];
}

/** Links spans to their parents and computes the trace-level intrinsics. */
export function buildTrace(traceId: string, data: readonly SpanData[]): TraceModel {
  // Fields listed rather than spread: one object shape for every span, and no per-span key walk.
  const spans: Span[] = data.map((d, index) => ({
    traceId: d.traceId, spanId: d.spanId, parentSpanId: d.parentSpanId, name: d.name, kind: d.kind,
    statusCode: d.statusCode, statusMessage: d.statusMessage, startUnixNano: d.startUnixNano,
    endUnixNano: d.endUnixNano, attributes: d.attributes, resource: d.resource, scopeName: d.scopeName,
    scopeVersion: d.scopeVersion, scopeAttributes: d.scopeAttributes, events: d.events, links: d.links,
    index,
    durationNanos: Number(d.endUnixNano - d.startUnixNano),
    parent: undefined,
    children: [],
  }));
  const byId = new Map<string, Span>();
  for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
  for (const s of spans) {
    const p = s.parentSpanId === '' ? undefined : byId.get(s.parentSpanId);
    if (p !== undefined && p !== s) {
      s.parent = p;
      p.children.push(s);
    }
  }
  return linkedTrace(traceId, spans);
}

/** The trace's first and last nanosecond, when its builder knows them without walking the spans. */
export interface TraceBounds {
  readonly startUnixNano: bigint;
  readonly endUnixNano: bigint;
}

/** What the builder of a trace may already know, saving linkedTrace a walk over the spans. */
export interface TraceHints {
  readonly bounds?: TraceBounds;
  /** Index of the first span without a parent span ID, -1 when none lacks one. */
  readonly root?: number;
}

/**
 * The trace of spans whose `parent` / `children` links buildTrace's rules already set (by span ID, first
 * span of an ID wins, never itself), `index` = position: parent cycles are cut, the root and bounds found.
 * For span models built elsewhere (straight from block columns) without going through SpanData.
 */
export function linkedTrace(traceId: string, spans: Span[], hints: TraceHints = {}): TraceModel {
  const preorder = orderTree(spans);
  let start: bigint;
  let end: bigint;
  const { bounds } = hints;
  if (bounds !== undefined) ({ startUnixNano: start, endUnixNano: end } = bounds);
  else {
    start = spans.length > 0 ? spans[0].startUnixNano : 0n;
    end = spans.length > 0 ? spans[0].endUnixNano : 0n;
    for (const s of spans) {
      if (s.startUnixNano < start) start = s.startUnixNano;
      if (s.endUnixNano > end) end = s.endUnixNano;
    }
  }
  const root = hints.root === undefined ? spans.find((s) => s.parentSpanId === '') : hints.root < 0 ? undefined : spans[hints.root];
  return { traceId, spans, root, startUnixNano: start, endUnixNano: end, durationNanos: Number(end - start), preorder };
}

/**
 * Depth-first pre-order, iteratively (a 10,000-deep chain must not overflow the stack). Spans caught in a
 * parent cycle are unreachable from any root: their parent link is cut so that they become roots.
 */
function orderTree(spans: Span[]): Span[] {
  const out: Span[] = [];
  const seen = new Uint8Array(spans.length);
  const stack: Span[] = [];
  const visit = (root: Span): void => {
    stack.push(root);
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen[s.index] === 1) continue;
      seen[s.index] = 1;
      out.push(s);
      for (let k = s.children.length - 1; k >= 0; k--) stack.push(s.children[k]);
    }
  };
  for (const s of spans) if (s.parent === undefined) visit(s);
  if (out.length === spans.length) return out;
  for (const s of spans) {
    if (seen[s.index] === 1) continue;
    const p = s.parent!;
    p.children.splice(p.children.indexOf(s), 1);
    s.parent = undefined;
    visit(s);
  }
  return out;
}
