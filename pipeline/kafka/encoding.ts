import { PermanentError } from '../errors.ts';
import { decodeTraceRequest, type DecodedRequest } from '../otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../otlp/encode-trace-batch.ts';
import { otlpJsonToProtobuf, protobufToJson } from '../otlp/json.ts';
import type { ResourceSpansRecord } from '../trace-batch.ts';

/**
 * Record value formats shared with the OpenTelemetry Collector's kafka exporter and receiver:
 * `otlp_proto` = ExportTraceServiceRequest protobuf, `otlp_json` = the same as OTLP/JSON.
 */
export type KafkaEncoding = 'otlp_proto' | 'otlp_json';

export const KAFKA_ENCODINGS: readonly KafkaEncoding[] = Object.freeze(['otlp_proto', 'otlp_json']);

/** One record value holding these resource spans. */
export function marshalTraces(resourceSpans: readonly ResourceSpansRecord[], encoding: KafkaEncoding): Buffer {
  const proto = encodeTraceBatch(resourceSpans);
  if (encoding === 'otlp_proto') return Buffer.from(proto.buffer, proto.byteOffset, proto.byteLength);
  return Buffer.from(JSON.stringify(protobufToJson(proto, 'TracesData', 'otlp')));
}

/**
 * The spans of one record value, as the OTLP receivers decode a request: spans with an invalid trace or span
 * ID (not 16 / 8 bytes, or all zero) are left out and counted in `rejectedSpans`, never dropped silently.
 * A message without spans is a valid, empty batch. Throws PermanentError when the value is missing or not a
 * valid message in that encoding (retrying the same bytes cannot help).
 */
export function unmarshalTraces(value: Buffer | null, encoding: KafkaEncoding): DecodedRequest {
  if (value === null) throw new PermanentError('kafka record has no value');
  return decodeTraceRequest(encoding === 'otlp_proto' ? value : jsonValueToProtobuf(value));
}

function jsonValueToProtobuf(value: Buffer): Uint8Array {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new PermanentError(`kafka message is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return otlpJsonToProtobuf(json);
}
