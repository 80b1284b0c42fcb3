import { ProtoReader, WIRE_LEN } from '../../pipeline/otlp/proto-reader.ts';

const SPAN_NAME_FIELD = 5;

/** The `name` of an encoded Span message, without decoding the rest. */
export function spanName(spanBytes: Uint8Array): string {
  const reader = new ProtoReader(spanBytes);
  while (!reader.done()) {
    const tag = reader.tag();
    if (tag === (SPAN_NAME_FIELD << 3 | WIRE_LEN)) return reader.string();
    reader.skip(tag & 7);
  }
  return '';
}
