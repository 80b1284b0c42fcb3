import { PermanentError } from '../errors.ts';
import { decodeTraceRequest } from '../otlp/decode-trace-request.ts';
import { encodeTraceBatch } from '../otlp/encode-trace-batch.ts';
import { otlpJsonToProtobuf, protobufToJson } from '../otlp/json.ts';
import type { ResourceSpansRecord, TraceBatch } from '../trace-batch.ts';

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
 * The spans of one record value; a message without spans is a valid, empty batch. Throws PermanentError
 * when the value is not a valid message in that encoding (retrying the same bytes cannot help).
 */
export function unmarshalTraces(value: Buffer, encoding: KafkaEncoding): TraceBatch {
  const proto = encoding === 'otlp_proto' ? value : jsonValueToProtobuf(value);
  return decodeTraceRequest(proto).batch;
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
