import { WIRE_LEN, WIRE_VARINT } from '../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';
import type { ExportResult } from './trace-export.ts';

const EMPTY = new Uint8Array(0);
const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** ExportTraceServiceResponse: empty on full success, `partial_success` when spans were left out. */
export function encodeExportResponse(result: ExportResult): Uint8Array {
  if (result.rejectedSpans === 0) return EMPTY;
  const w = new ProtoWriter(64 + result.errorMessage.length * 3);
  const mark = w.beginMessage(1);
  w.tag(1, WIRE_VARINT);
  w.varint(result.rejectedSpans);
  if (result.errorMessage !== '') {
    w.tag(2, WIRE_LEN);
    w.string(result.errorMessage);
  }
  w.endMessage(mark);
  return w.finish();
}

/** The same in OTLP/JSON (int64 as a string, per the proto3 JSON mapping). */
export function exportResponseJson(result: ExportResult): string {
  if (result.rejectedSpans === 0) return '{}';
  return JSON.stringify({
    partialSuccess: { rejectedSpans: String(result.rejectedSpans), errorMessage: result.errorMessage },
  });
}

/** google.rpc.Status; with `retryAfterSeconds`, a google.rpc.RetryInfo detail as the OTLP spec suggests. */
export function encodeStatus(code: number, message: string, retryAfterSeconds?: number): Uint8Array {
  const w = new ProtoWriter(64 + message.length * 3);
  if (code !== 0) {
    w.tag(1, WIRE_VARINT);
    w.varint(code);
  }
  if (message !== '') {
    w.tag(2, WIRE_LEN);
    w.string(message);
  }
  if (retryAfterSeconds !== undefined) {
    const any = w.beginMessage(3);
    w.tag(1, WIRE_LEN);
    w.string(RETRY_INFO_TYPE);
    const retryInfo = w.beginMessage(2);
    const delay = w.beginMessage(1);
    w.tag(1, WIRE_VARINT);
    w.varint(Math.max(0, Math.ceil(retryAfterSeconds)));
    w.endMessage(delay);
    w.endMessage(retryInfo);
    w.endMessage(any);
  }
  return w.finish();
}

export function statusJson(code: number, message: string): string {
  return JSON.stringify({ code, message });
}
