import type { ResourceSpansRecord, ScopeSpansRecord } from '../../pipeline/trace-batch.ts';

/**
 * Splits after the first `n` spans. Resource and scope records cut in two appear on both sides with the
 * same encoded fields; span records are shared, not copied.
 */
export function splitResourceSpans(
  resourceSpans: readonly ResourceSpansRecord[], n: number,
): [head: ResourceSpansRecord[], tail: ResourceSpansRecord[]] {
  const head: ResourceSpansRecord[] = [];
  let room = n;
  for (let i = 0; i < resourceSpans.length; i++) {
    const rs = resourceSpans[i]!;
    const count = spansIn(rs);
    if (count <= room) {
      head.push(rs);
      room -= count;
      continue;
    }
    if (room === 0) return [head, resourceSpans.slice(i)];
    const [headScopes, tailScopes] = splitScopeSpans(rs.scopeSpans, room);
    if (headScopes.length > 0) head.push({ fields: rs.fields, scopeSpans: headScopes });
    return [head, [{ fields: rs.fields, scopeSpans: tailScopes }, ...resourceSpans.slice(i + 1)]];
  }
  return [head, []];
}

function splitScopeSpans(scopeSpans: readonly ScopeSpansRecord[], n: number): [ScopeSpansRecord[], ScopeSpansRecord[]] {
  const head: ScopeSpansRecord[] = [];
  let room = n;
  for (let i = 0; i < scopeSpans.length; i++) {
    const ss = scopeSpans[i]!;
    if (ss.spans.length <= room) {
      head.push(ss);
      room -= ss.spans.length;
      continue;
    }
    if (room === 0) return [head, scopeSpans.slice(i)];
    head.push({ fields: ss.fields, spans: ss.spans.slice(0, room) });
    return [head, [{ fields: ss.fields, spans: ss.spans.slice(room) }, ...scopeSpans.slice(i + 1)]];
  }
  return [head, []];
}

function spansIn(rs: ResourceSpansRecord): number {
  let n = 0;
  for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}
