import type { ResourceSpansRecord, SpanRecord } from '../trace-batch.ts';
import { ProtoReader } from './proto-reader.ts';
import { ProtoWriter, varintSize } from './proto-writer.ts';

const TAG_RESOURCE_SPANS = 0x0a; // TracesData.resource_spans = 1, length-delimited
const TAG_CHILD = 0x12; // ResourceSpans.scope_spans = 2 and ScopeSpans.spans = 2, length-delimited
const CHILD_FIELD = 2;

/**
 * Writes a batch as TracesData (= ExportTraceServiceRequest) bytes. Sizes are computed first so the output
 * is allocated once and spans are copied straight into it. Kept fields numbered below the children go
 * before them and the rest after, so a canonical (field-ordered) request re-encodes byte for byte.
 * `onSpan` gets the offset of each span's bytes in the returned buffer.
 */
export function encodeTraceBatch(
  resourceSpans: readonly ResourceSpansRecord[],
  onSpan?: (span: SpanRecord, offset: number) => void,
): Uint8Array {
  const sizes: number[] = [];
  const total = measure(resourceSpans, sizes);
  const w = new ProtoWriter(total);
  let k = 0;
  for (const rs of resourceSpans) {
    w.buf[w.pos++] = TAG_RESOURCE_SPANS;
    w.varint(sizes[k++]);
    const rsSplit = childrenOffset(rs.fields);
    w.raw(rs.fields.subarray(0, rsSplit));
    for (const ss of rs.scopeSpans) {
      w.buf[w.pos++] = TAG_CHILD;
      w.varint(sizes[k++]);
      const ssSplit = childrenOffset(ss.fields);
      w.raw(ss.fields.subarray(0, ssSplit));
      for (const span of ss.spans) {
        w.buf[w.pos++] = TAG_CHILD;
        w.varint(span.bytes.length);
        const offset = w.pos;
        w.raw(span.bytes);
        if (onSpan !== undefined) onSpan(span, offset);
      }
      w.raw(ss.fields.subarray(ssSplit));
    }
    w.raw(rs.fields.subarray(rsSplit));
  }
  return w.finish();
}

/** Fills `sizes` with each ResourceSpans' and ScopeSpans' body size in write order; returns the total. */
function measure(resourceSpans: readonly ResourceSpansRecord[], sizes: number[]): number {
  let total = 0;
  for (const rs of resourceSpans) {
    const rsAt = sizes.length;
    sizes.push(0);
    let rsSize = rs.fields.length;
    for (const ss of rs.scopeSpans) {
      let ssSize = ss.fields.length;
      for (const span of ss.spans) ssSize += 1 + varintSize(span.bytes.length) + span.bytes.length;
      sizes.push(ssSize);
      rsSize += 1 + varintSize(ssSize) + ssSize;
    }
    sizes[rsAt] = rsSize;
    total += 1 + varintSize(rsSize) + rsSize;
  }
  return total;
}

/** Offset of the first kept field numbered after the children (field 2): where the children go. */
function childrenOffset(fields: Uint8Array): number {
  if (fields.length === 0) return 0;
  const r = new ProtoReader(fields);
  while (r.pos < r.limit) {
    const start = r.pos;
    const tag = r.tag();
    if (tag >>> 3 > CHILD_FIELD) return start;
    r.skip(tag & 7);
  }
  return fields.length;
}
