import { decodeTraceRequest } from '../../pipeline/otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../../pipeline/otlp/encode-trace-batch.ts';
import type { ResourceSpansRecord, SpanRecord } from '../../pipeline/trace-batch.ts';
import { spanKind } from './span-kind.ts';

/** One encoded Trace (TracesData bytes) and how many spans it holds. */
export interface CombinedTrace {
  readonly trace: Uint8Array;
  readonly spanCount: number;
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
 * Merges parts of one trace found in different places (live data, WAL, blocks): ResourceSpans with
 * byte-identical fields become one, ScopeSpans likewise, and a span seen twice is kept once. Like Tempo's
 * combiner, a span is identified by span ID and kind, because Zipkin client and server spans share an ID.
 * Order is first seen. Span bytes are views into the parts, which must stay unchanged until `result()`.
 */
export class TraceCombiner {
  readonly #resources = new Map<string, ResourceGroup>();
  readonly #seenSpans = new Set<string>();
  #spanCount = 0;

  /** Adds one encoded Trace; a malformed one throws PermanentError and adds nothing. */
  add(part: Uint8Array): void {
    const { batch } = decodeTraceRequest(part);
    for (const rs of batch.resourceSpans) {
      const resource = getOrAdd(this.#resources, rs.fields, () => ({ fields: rs.fields, scopes: new Map() }));
      for (const ss of rs.scopeSpans) {
        const scope = getOrAdd(resource.scopes, ss.fields, () => ({ fields: ss.fields, spans: [] }));
        for (const span of ss.spans) this.#addSpan(scope, span);
      }
    }
  }

  get spanCount(): number {
    return this.#spanCount;
  }

  result(): CombinedTrace {
    const resourceSpans: ResourceSpansRecord[] = [];
    for (const resource of this.#resources.values()) {
      const scopeSpans = [...resource.scopes.values()].filter((scope) => scope.spans.length > 0);
      if (scopeSpans.length > 0) resourceSpans.push({ fields: resource.fields, scopeSpans });
    }
    return { trace: encodeTraceBatch(resourceSpans), spanCount: this.#spanCount };
  }

  #addSpan(scope: ScopeGroup, span: SpanRecord): void {
    const key = `${bytesKey(span.spanId)}/${spanKind(span.bytes)}`;
    if (this.#seenSpans.has(key)) return;
    this.#seenSpans.add(key);
    scope.spans.push(span);
    this.#spanCount++;
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
