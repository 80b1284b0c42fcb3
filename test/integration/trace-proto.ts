import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/**
 * Decodes responses with protobufjs and a .proto written from the public OTLP/Tempo definitions, so the
 * tests do not trust Tracelake's own codec.
 */
const root = protobuf.parse(readFileSync(new URL('./fixtures/trace.proto', import.meta.url), 'utf8')).root;

export type MessageName =
  | 'TracesData'
  | 'TraceByIDResponse'
  | 'ExportTraceServiceResponse'
  | 'RpcStatus';

const CONVERSION: protobuf.IConversionOptions = { longs: String, enums: Number, defaults: false };

/** Decodes `bytes` as `name`; 64-bit integers as decimal strings, enums as numbers, bytes as Buffers. */
export function decodeMessage(name: MessageName, bytes: Uint8Array): Record<string, unknown> {
  const type = root.lookupType(`tracelake.test.${name}`);
  return type.toObject(type.decode(bytes), CONVERSION);
}
