/** The JSON side of the codec, at the path other components code against. */
export { jsonToProtobuf, otlpJsonToProtobuf } from './json-to-protobuf.ts';
export { protobufToJson } from './protobuf-to-json.ts';
export type { JsonStyle } from './protobuf-to-json.ts';
export type { MessageName } from './schema.ts';
