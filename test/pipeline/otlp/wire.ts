/** Tiny protobuf builders for hand-made (and deliberately broken) test payloads. */
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';

export function cat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A length-delimited field whose payload is the concatenation of `parts`. */
export function len(no: number, ...parts: Uint8Array[]): Uint8Array {
  const w = new ProtoWriter();
  w.tag(no, 2);
  w.bytes(cat(...parts));
  return cat(w.finish());
}

export function varintField(no: number, n: number): Uint8Array {
  const w = new ProtoWriter();
  w.tag(no, 0);
  w.varint(n);
  return cat(w.finish());
}

export function fixed64Field(no: number, v: bigint): Uint8Array {
  const w = new ProtoWriter();
  w.tag(no, 1);
  w.fixed64(v);
  return cat(w.finish());
}

export function stringField(no: number, s: string): Uint8Array {
  return len(no, Buffer.from(s));
}

export const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

export const TRACE_ID = Uint8Array.from(Buffer.from('5b8efff798038103d269b633813fc700', 'hex'));
export const SPAN_ID = Uint8Array.from(Buffer.from('eee19b7ec3c1b100', 'hex'));

/** Span fields 1, 2, 7, 8 with the given IDs. */
export function spanCore(traceId = TRACE_ID, spanId = SPAN_ID, start = 1_700_000_000_000_000_000n): Uint8Array {
  return cat(len(1, traceId), len(2, spanId), fixed64Field(7, start), fixed64Field(8, start + 1000n));
}
