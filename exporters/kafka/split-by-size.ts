import { varintSize } from '../../pipeline/otlp/proto-writer.ts';
import type { ResourceSpansRecord, ScopeSpansRecord } from '../../pipeline/trace-batch.ts';

/** Tag byte plus the longest length prefix a message under 4 GiB can have. */
const MAX_HEADER = 1 + 5;

/**
 * Cuts resource spans into consecutive chunks whose TracesData encoding is at most `budget` bytes (an
 * upper bound: length prefixes are counted at their longest), keeping each span under the resource and
 * scope records it came from. A span too big for any chunk gets one of its own; the caller decides.
 */
export function splitBySize(resourceSpans: readonly ResourceSpansRecord[], budget: number): ResourceSpansRecord[][] {
  const chunks: ResourceSpansRecord[][] = [];
  let chunk: ResourceSpansRecord[] = [];
  let size = 0;
  for (const rs of resourceSpans) {
    let resource: ResourceSpansRecord | undefined;
    for (const ss of rs.scopeSpans) {
      let scope: ScopeSpansRecord | undefined;
      for (const span of ss.spans) {
        const spanSize = 1 + varintSize(span.bytes.length) + span.bytes.length;
        const cost = spanSize + (scope === undefined ? MAX_HEADER + ss.fields.length : 0)
          + (resource === undefined ? MAX_HEADER + rs.fields.length : 0);
        if (size + cost > budget && size > 0) {
          chunks.push(chunk);
          chunk = [];
          size = 0;
          resource = undefined;
          scope = undefined;
        }
        if (resource === undefined) {
          resource = { fields: rs.fields, scopeSpans: [] };
          chunk.push(resource);
          size += MAX_HEADER + rs.fields.length;
        }
        if (scope === undefined) {
          scope = { fields: ss.fields, spans: [] };
          resource.scopeSpans.push(scope);
          size += MAX_HEADER + ss.fields.length;
        }
        scope.spans.push(span);
        size += spanSize;
      }
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
