import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { fromProtobufTrace, type NormSpan } from '../trace-model.ts';

/**
 * Decodes Kafka record values as `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest` with
 * protobufjs and the tests' own .proto (fixtures/trace.proto), not with Tracelake's codec: what the
 * OpenTelemetry Collector's kafka receiver expects for `encoding: otlp_proto`.
 */
const root = protobuf.parse(readFileSync(new URL('../fixtures/trace.proto', import.meta.url), 'utf8')).root;
// trace_service.proto (field names camelCased, as protobufjs parses them): message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
const ns = root.lookup('tracelake.test') as protobuf.Namespace;
ns.add(new protobuf.Type('ExportTraceServiceRequest').add(new protobuf.Field('resourceSpans', 1, 'ResourceSpans', 'repeated')));
root.resolveAll();
const requestType = root.lookupType('tracelake.test.ExportTraceServiceRequest');

const CONVERSION: protobuf.IConversionOptions = { longs: String, enums: Number, defaults: false };

/** The request's spans in the tests' comparable shape; throws on bytes that are not such a request. */
export function decodeExportRequest(bytes: Uint8Array): NormSpan[] {
  const message = requestType.decode(bytes);
  const problem = requestType.verify(message);
  if (problem !== null) throw new Error(`not an ExportTraceServiceRequest: ${problem}`);
  return fromProtobufTrace(requestType.toObject(message, CONVERSION));
}
