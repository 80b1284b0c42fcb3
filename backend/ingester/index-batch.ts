import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { WalRecordLayout } from '../wal/wal-record-layout.ts';
import type { FieldsInterner, Interned } from './fields-interner.ts';
import { newTrace, type LiveTrace, type SpanGroup } from './live-trace.ts';
import type { SegmentRefs } from './segment-refs.ts';
import { traceKey } from './trace-key.ts';

export interface IndexContext {
  readonly interner: FieldsInterner;
  readonly segmentRefs: SegmentRefs;
  readonly nowMs: number;
}

export interface IndexResult {
  readonly newTraces: number;
  readonly bytes: number;
}

/** Adds references to the batch's spans (as laid out in the WAL) to the live traces. The ingest hot path. */
export function indexBatch(live: Map<string, LiveTrace>, batch: TraceBatch, layout: WalRecordLayout, ctx: IndexContext): IndexResult {
  const { interner, segmentRefs, nowMs } = ctx;
  const { segment, spanOffsets } = layout;
  let spanIndex = 0;
  let newTraces = 0;
  let bytes = 0;
  for (const rs of batch.resourceSpans) {
    let resource: Interned | undefined;
    for (const ss of rs.scopeSpans) {
      if (ss.spans.length === 0) continue;
      resource ??= interner.intern(rs.fields);
      const scope = interner.intern(ss.fields);
      for (const span of ss.spans) {
        const key = traceKey(span.traceId);
        let trace = live.get(key);
        if (!trace) {
          trace = newTrace(key, nowMs);
          live.set(key, trace);
          newTraces++;
        }
        let group: SpanGroup | undefined = trace.groups[trace.groups.length - 1];
        if (!group || group.scope !== scope || group.resource !== resource || group.segment !== segment) {
          group = { resource, scope, segment, spans: [] };
          trace.groups.push(group);
          resource.refs++;
          scope.refs++;
          segmentRefs.add(segment);
        }
        const length = span.bytes.length;
        group.spans.push(spanOffsets[spanIndex++], length);
        trace.spanCount++;
        trace.bytes += length;
        trace.lastSeenMs = nowMs;
        if (span.startUnixNano < trace.startUnixNano) trace.startUnixNano = span.startUnixNano;
        if (span.endUnixNano > trace.endUnixNano) trace.endUnixNano = span.endUnixNano;
        bytes += length;
      }
    }
  }
  return { newTraces, bytes };
}

/** Drops the references a trace holds (after its block is flushed). */
export function releaseTrace(trace: LiveTrace, interner: FieldsInterner, segmentRefs: SegmentRefs): void {
  for (const group of trace.groups) {
    interner.release(group.resource);
    interner.release(group.scope);
    segmentRefs.remove(group.segment);
  }
}
