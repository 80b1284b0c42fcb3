import { bytesToHex } from '../../pipeline/otlp/hex.ts';
import type { ResourceSpansRecord, ScopeSpansRecord } from '../../pipeline/trace-batch.ts';

interface Group {
  readonly resourceSpans: ResourceSpansRecord[];
  /** The source records the last resource/scope copy was made from, to append to it instead of repeating it. */
  lastResource: ResourceSpansRecord | undefined;
  lastScope: ScopeSpansRecord | undefined;
  scope: ScopeSpansRecord | undefined;
}

/**
 * Splits resource spans by trace ID (32 lowercase hex) into one group per trace: each group keeps the
 * resource and scope records its spans came from, in their original order. Span records are shared, not
 * copied. Not the same cut as the Collector's batchpersignal.SplitTraces, which makes one group per
 * resource × scope × trace (so it writes a record for each); Tracelake writes one record per trace. Both
 * receivers read either: a record is just a TracesData with the same key.
 */
export function groupByTraceId(resourceSpans: readonly ResourceSpansRecord[]): Map<string, ResourceSpansRecord[]> {
  const groups = new Map<string, Group>();
  let group: Group | undefined;
  let groupTraceId: Uint8Array = new Uint8Array(0);
  for (const rs of resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        // Spans of a trace mostly come one after another: those skip the hex key and the lookup.
        if (group === undefined || !sameId(span.traceId, groupTraceId)) {
          group = groupOf(groups, bytesToHex(span.traceId));
          groupTraceId = span.traceId;
        }
        if (group.lastResource !== rs) {
          group.resourceSpans.push({ fields: rs.fields, scopeSpans: [] });
          group.lastResource = rs;
          group.lastScope = undefined;
        }
        if (group.lastScope !== ss) {
          group.scope = { fields: ss.fields, spans: [] };
          group.resourceSpans.at(-1)!.scopeSpans.push(group.scope);
          group.lastScope = ss;
        }
        group.scope!.spans.push(span);
      }
    }
  }
  const out = new Map<string, ResourceSpansRecord[]>();
  for (const [traceId, group] of groups) out.set(traceId, group.resourceSpans);
  return out;
}

function groupOf(groups: Map<string, Group>, traceId: string): Group {
  let group = groups.get(traceId);
  if (group === undefined) {
    group = { resourceSpans: [], lastResource: undefined, lastScope: undefined, scope: undefined };
    groups.set(traceId, group);
  }
  return group;
}

function sameId(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
