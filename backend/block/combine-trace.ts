import { decodeTraceRequest } from '../../pipeline/otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../../pipeline/otlp/encode-trace-batch.ts';
import type { ResourceSpansRecord, SpanRecord } from '../../pipeline/trace-batch.ts';
import { spanKind } from './span-kind.ts';

/** One encoded Trace (TracesData bytes), its span count and time range. */
export interface CombinedTrace {
  readonly trace: Uint8Array;
  readonly spanCount: number;
  /** Earliest span start and latest span end (or start); 0 without spans. */
  readonly startUnixNano: number;
  readonly endUnixNano: number;
}

interface ScopeGroup {
  readonly fields: Uint8Array;
  readonly spans: SpanRecord[];
}

interface ResourceGroup {
  readonly fields: Uint8Array;
  readonly scopes: Map<string, ScopeGroup>;
}

/**
 * Merges parts of one trace found in different places (blocks, live data, WAL): ResourceSpans with
 * byte-identical fields become one, ScopeSpans likewise, and a span seen twice is kept once. As in Tempo, a
 * span is identified by span ID and kind, because Zipkin client and server spans share an ID. Order is first
 * seen. Span bytes are views into the parts, which must stay unchanged until `result()`.
 * Role-neutral (block layer), so the querier and the compactor share one rule.
 */
export class TraceCombiner {
  readonly #resources = new Map<string, ResourceGroup>();
  readonly #seenSpans = new Set<string>();
  #spanCount = 0;
  #inputSpans = 0;
  #rejectedSpans = 0;
  #start = Infinity;
  #end = -Infinity;

  /** Adds one encoded Trace; a malformed one throws PermanentError and adds nothing. */
  add(part: Uint8Array): void {
    const { batch, rejectedSpans } = decodeTraceRequest(part);
    this.#rejectedSpans += rejectedSpans;
    for (const rs of batch.resourceSpans) {
      const resource = getOrAdd(this.#resources, rs.fields, () => ({ fields: rs.fields, scopes: new Map() }));
      for (const ss of rs.scopeSpans) {
        const scope = getOrAdd(resource.scopes, ss.fields, () => ({ fields: ss.fields, spans: [] }));
        for (const span of ss.spans) this.#addSpan(scope, span);
      }
    }
  }

  /** Spans kept so far. */
  get spanCount(): number {
    return this.#spanCount;
  }

  /** Spans the decoder left out of the parts (invalid trace or span ID): they are not in the result. */
  get rejectedSpans(): number {
    return this.#rejectedSpans;
  }

  /** Spans added so far, duplicates included. */
  get inputSpans(): number {
    return this.#inputSpans;
  }

  result(): CombinedTrace {
    const resourceSpans: ResourceSpansRecord[] = [];
    for (const resource of this.#resources.values()) {
      const scopeSpans = [...resource.scopes.values()].filter((scope) => scope.spans.length > 0);
      if (scopeSpans.length > 0) resourceSpans.push({ fields: resource.fields, scopeSpans });
    }
    const empty = this.#spanCount === 0;
    return {
      trace: encodeTraceBatch(resourceSpans), spanCount: this.#spanCount,
      startUnixNano: empty ? 0 : this.#start, endUnixNano: empty ? 0 : this.#end,
    };
  }

  #addSpan(scope: ScopeGroup, span: SpanRecord): void {
    this.#inputSpans++;
    const key = `${bytesKey(span.spanId)}/${spanKind(span.bytes)}`;
    if (this.#seenSpans.has(key)) return;
    this.#seenSpans.add(key);
    scope.spans.push(span);
    this.#spanCount++;
    this.#start = Math.min(this.#start, span.startUnixNano);
    this.#end = Math.max(this.#end, span.endUnixNano, span.startUnixNano);
  }
}

/** Merges encoded Trace parts into one; see TraceCombiner. No parts (or no spans) gives an empty Trace. */
export function combineTraces(parts: readonly Uint8Array[]): CombinedTrace {
  const combiner = new TraceCombiner();
  for (const part of parts) combiner.add(part);
  return combiner.result();
}

function getOrAdd<V>(map: Map<string, V>, fields: Uint8Array, create: () => V): V {
  const key = bytesKey(fields);
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** latin1 maps each byte to one char: an exact, cheap map key. */
function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
