import { compareNanos } from './newest-traces.ts';
import { ROOT_NOT_RECEIVED, type ServiceStatsJson, type SpanSetJson, type TraceResultJson } from './trace-result.ts';

/**
 * Tempo's combineSearchResults (pkg/traceql/combine.go): two results for the same trace, found in different
 * parts (blocks, live traces), as one — root names from whichever part held the root, the earliest start,
 * the longest duration, span sets with the same `by()` values kept once (the one that matched more spans),
 * others added. Service stats take the larger count per service: a part may be seen twice (live and just
 * flushed), and a maximum counts it once.
 */
export function combineTraceResults(a: TraceResultJson, b: TraceResultJson): TraceResultJson {
  const rootSeen = a.rootServiceName !== ROOT_NOT_RECEIVED || b.rootServiceName !== ROOT_NOT_RECEIVED;
  const spanSets = combineSpanSets(a.spanSets ?? [], b.spanSets ?? []);
  const durationMs = Math.max(a.durationMs ?? 0, b.durationMs ?? 0);
  const serviceStats = combineServiceStats(a.serviceStats, b.serviceStats);
  return {
    traceID: a.traceID,
    rootServiceName: rootSeen ? known(a.rootServiceName) ?? known(b.rootServiceName) : ROOT_NOT_RECEIVED,
    rootTraceName: rootSeen ? known(a.rootTraceName) ?? known(b.rootTraceName) : ROOT_NOT_RECEIVED,
    startTimeUnixNano: compareNanos(a.startTimeUnixNano, b.startTimeUnixNano) <= 0 ? a.startTimeUnixNano : b.startTimeUnixNano,
    ...(durationMs > 0 ? { durationMs } : {}),
    ...(spanSets.length > 0 ? { spanSet: spanSets[0], spanSets } : {}),
    ...(serviceStats !== undefined ? { serviceStats } : {}),
  };
}

function known(name: string | undefined): string | undefined {
  return name === ROOT_NOT_RECEIVED ? undefined : name;
}

function combineSpanSets(a: readonly SpanSetJson[], b: readonly SpanSetJson[]): SpanSetJson[] {
  const out = [...a];
  const byId = new Map(out.map((ss, i) => [spanSetId(ss), i]));
  for (const ss of b) {
    const i = byId.get(spanSetId(ss));
    if (i === undefined) {
      byId.set(spanSetId(ss), out.length);
      out.push(ss);
    } else if (ss.matched > out[i]!.matched) {
      out[i] = ss;
    }
  }
  return out;
}

/** A span set's identity: its `by()` attributes (Tempo: every attribute whose key starts with "by"). */
function spanSetId(ss: SpanSetJson): string {
  return JSON.stringify((ss.attributes ?? []).filter((kv) => kv.key.startsWith('by')));
}

function combineServiceStats(
  a: Readonly<Record<string, ServiceStatsJson>> | undefined, b: Readonly<Record<string, ServiceStatsJson>> | undefined,
): Record<string, ServiceStatsJson> | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const out: Record<string, ServiceStatsJson> = {};
  for (const service of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const spanCount = Math.max(a[service]?.spanCount ?? 0, b[service]?.spanCount ?? 0);
    const errorCount = Math.max(a[service]?.errorCount ?? 0, b[service]?.errorCount ?? 0);
    out[service] = { ...(spanCount > 0 ? { spanCount } : {}), ...(errorCount > 0 ? { errorCount } : {}) };
  }
  return out;
}
