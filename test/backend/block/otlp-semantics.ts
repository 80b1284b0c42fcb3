/**
 * OTLP traces as an independent decoder sees them: protobufjs with the tests' own trace.proto, not
 * Tracelake's codec. Two encodings are semantically equal when these objects are deepStrictEqual: proto3
 * zero values and absent fields compare alike, field order and encoding details do not matter, everything
 * else (oneof member, message presence, NaN, -0, 64-bit integers) does.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const PROTO = readFileSync(new URL('../../integration/fixtures/trace.proto', import.meta.url), 'utf8');
const CONVERSION: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, defaults: true, oneofs: true, arrays: true };

/** Field numbers Tracelake does not model, added to Span so the decoder shows whether they survived. */
export const EXTRA_SPAN_FIELDS = { extraText: 100, extraNumber: 101 } as const;

function tracesDataType(): protobuf.Type {
  const root = protobuf.parse(PROTO).root;
  const span = root.lookupType('tracelake.test.Span');
  span.add(new protobuf.Field('extraText', EXTRA_SPAN_FIELDS.extraText, 'string', 'repeated'));
  span.add(new protobuf.Field('extraNumber', EXTRA_SPAN_FIELDS.extraNumber, 'uint64'));
  root.resolveAll();
  return root.lookupType('tracelake.test.TracesData');
}

const tracesData = tracesDataType();

/** The TracesData in `bytes` as a plain object to compare; throws on bytes that are not one. */
export function semanticTrace(bytes: Uint8Array): unknown {
  return tracesData.toObject(tracesData.decode(bytes), CONVERSION);
}

/** Encodes a TracesData given as protobufjs' plain-object form (camelCase fields, Long-compatible strings). */
export function encodeTracesData(object: Record<string, unknown>): Uint8Array {
  return tracesData.encode(tracesData.fromObject(object)).finish();
}
