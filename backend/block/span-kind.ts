import { ProtoReader, WIRE_VARINT } from '../../pipeline/otlp/proto-reader.ts';

const SPAN_KIND_FIELD = 6;

/** The `kind` of an encoded Span message (0 = unspecified when absent); the last occurrence wins, as in protobuf. */
export function spanKind(span: Uint8Array): number {
  const reader = new ProtoReader(span);
  let kind = 0;
  while (!reader.done()) {
    const tag = reader.tag();
    if (tag === SPAN_KIND_FIELD * 8 + WIRE_VARINT) kind = reader.varint();
    else reader.skip(tag & 7);
  }
  return kind;
}
