import { protobufToJson } from '../../pipeline/otlp/json.ts';
import { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';
import { WIRE_LEN, WIRE_VARINT } from '../../pipeline/otlp/proto-reader.ts';
import type { FoundTrace } from './trace-lookup.ts';

const PARTIAL = 1;

/**
 * TraceByIDResponse { Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4 }.
 * `trace` is written even when empty: Grafana reads its resourceSpans without a nil check.
 */
export function encodeTraceByIdResponse(found: FoundTrace): Uint8Array {
  const w = new ProtoWriter(found.trace.byteLength + 64);
  w.tag(1, WIRE_LEN);
  w.bytes(found.trace);
  const metrics = w.beginMessage(2);
  if (found.inspectedBytes > 0) {
    w.tag(1, WIRE_VARINT); // TraceByIDMetrics.inspectedBytes, uint64
    w.varint(found.inspectedBytes);
  }
  w.endMessage(metrics);
  if (found.status === 'partial') {
    w.tag(3, WIRE_VARINT);
    w.varint(PARTIAL);
  }
  if (found.message !== undefined && found.message !== '') {
    w.tag(4, WIRE_LEN);
    w.string(found.message);
  }
  return w.finish();
}

/** Tempo's JSON (gogo jsonpb): `{"trace":{"resourceSpans":[…]},"metrics":{"inspectedBytes":"…"}}`, zero values left out. */
export function traceByIdResponseJson(found: FoundTrace): Record<string, unknown> {
  const body: Record<string, unknown> = {
    trace: protobufToJson(found.trace, 'TracesData', 'tempo'),
    metrics: found.inspectedBytes > 0 ? { inspectedBytes: String(found.inspectedBytes) } : {},
  };
  if (found.status === 'partial') body['status'] = 'PARTIAL';
  if (found.message !== undefined && found.message !== '') body['message'] = found.message;
  return body;
}

/** v1 JSON: the bare Trace with its first key renamed, `{"batches":[…]}`. */
export function traceV1Json(trace: Uint8Array): Record<string, unknown> {
  const { resourceSpans } = protobufToJson(trace, 'TracesData', 'tempo') as { resourceSpans?: unknown };
  return resourceSpans === undefined ? {} : { batches: resourceSpans };
}
