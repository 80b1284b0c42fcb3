import { PayloadError } from './payload-error.ts';
import { ProtoReader, WIRE_LEN, wireTypeName } from './proto-reader.ts';
import { SCHEMAS } from './schema.ts';
import type { FieldSchema, MessageSchema } from './schema.ts';

const { KeyValue, AnyValue } = SCHEMAS;

/** protobuf's own default recursion limit; AnyValue can nest without bound otherwise. */
export const MAX_DEPTH = 100;

/**
 * Checks the structure of encoded messages against the schema without building anything: every tag,
 * length and varint is framed correctly, known fields have their declared wire type, nested messages are
 * checked recursively; unknown fields are framed and skipped. Errors name the path inside the message.
 */
export class MessageValidator {
  readonly r: ProtoReader;
  private depth = 0;

  constructor(r: ProtoReader) {
    this.r = r;
  }

  /** Validates the message in [r.pos, end) and leaves r.pos at end. */
  message(end: number, schema: MessageSchema): void {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    while (r.pos < end) this.field(r.tag(), schema, start);
    r.leave(outer);
  }

  /** `message(end, KeyValue)` with the common shapes of attributes unrolled: most of a span is attributes. */
  private keyValue(end: number): void {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    while (r.pos < end) {
      const tag = r.tag();
      if (tag === 0x0a) r.pos = r.lengthEnd(); // key
      else if (tag === 0x12) this.anyValue(r.lengthEnd()); // value
      else this.field(tag, KeyValue, start);
    }
    r.leave(outer);
  }

  private anyValue(end: number): void {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    try {
      while (r.pos < end) {
        const tag = r.tag();
        if (tag === 0x0a || tag === 0x3a) r.pos = r.lengthEnd(); // string_value, bytes_value
        else if (tag === 0x10 || tag === 0x18) r.skipVarint(); // bool_value, int_value
        else this.field(tag, AnyValue, start);
      }
    } catch (err) {
      if (err instanceof PayloadError) throw err.within('value');
      throw err;
    }
    r.leave(outer);
  }

  /** Validates and skips the payload of a field whose tag was just read; `start` = its message's start. */
  field(tag: number, schema: MessageSchema, start: number): void {
    const r = this.r;
    const wireType = tag & 7;
    const field = schema.byNumber[tag >>> 3];
    if (field === undefined) {
      r.skip(wireType);
      return;
    }
    if (wireType !== field.wireType) throw wrongWireType(field, wireType);
    const nested = field.message;
    if (nested === undefined) {
      r.skip(wireType);
      return;
    }
    const end = r.lengthEnd();
    if (this.depth >= MAX_DEPTH) throw new PayloadError(`messages nested deeper than ${MAX_DEPTH}`);
    const contentStart = r.pos;
    this.depth++;
    try {
      if (nested === KeyValue) this.keyValue(end);
      else this.message(end, nested);
    } catch (err) {
      if (err instanceof PayloadError) throw err.within(segmentName(field, { buf: r.buf, start, contentStart }));
      throw err;
    }
    this.depth--; // not restored on a throw: the whole decode is abandoned then
  }
}

export function wrongWireType(field: FieldSchema, wireType: number): PayloadError {
  return new PayloadError(`field ${field.no} (${field.name}) has wire type ${wireTypeName(wireType)}, ` +
    `expected ${wireTypeName(field.wireType)}`);
}

/** Where one occurrence of a field sits: its enclosing message starts at `start`, its payload at `contentStart`. */
export interface Occurrence {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly contentStart: number;
}

/**
 * `name` or `name[i]` for a repeated field, i counted by re-reading the enclosing message up to this
 * occurrence: only done on the error path, so the happy path keeps no counters.
 */
export function segmentName(field: FieldSchema, at: Occurrence): string {
  if (!field.repeated) return field.name;
  const r = new ProtoReader(at.buf, at.start);
  let index = 0;
  while (r.pos < at.contentStart) {
    const tag = r.tag();
    if ((tag & 7) === WIRE_LEN && tag >>> 3 === field.no) {
      const end = r.lengthEnd();
      if (r.pos >= at.contentStart) break;
      index++;
      r.pos = end;
    } else {
      r.skip(tag & 7);
    }
  }
  return `${field.name}[${index}]`;
}
