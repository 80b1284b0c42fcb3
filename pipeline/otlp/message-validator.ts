import { PayloadError } from './payload-error.ts';
import { ProtoReader, WIRE_LEN, wireTypeName } from './proto-reader.ts';
import type { FieldSchema, MessageSchema } from './schema.ts';

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
      this.message(end, nested);
    } catch (err) {
      if (err instanceof PayloadError) throw err.within(segmentName(r.buf, start, contentStart, field));
      throw err;
    } finally {
      this.depth--;
    }
  }
}

export function wrongWireType(field: FieldSchema, wireType: number): PayloadError {
  return new PayloadError(`field ${field.no} (${field.name}) has wire type ${wireTypeName(wireType)}, ` +
    `expected ${wireTypeName(field.wireType)}`);
}

/**
 * `name` or `name[i]` for a repeated field, i counted by re-reading the enclosing message from `start`
 * up to this occurrence: only done on the error path, so the happy path keeps no counters.
 */
export function segmentName(buf: Uint8Array, start: number, contentStart: number, field: FieldSchema): string {
  if (!field.repeated) return field.name;
  const r = new ProtoReader(buf, start);
  let index = 0;
  while (r.pos < contentStart) {
    const tag = r.tag();
    if ((tag & 7) === WIRE_LEN && tag >>> 3 === field.no) {
      const end = r.lengthEnd();
      if (r.pos >= contentStart) break;
      index++;
      r.pos = end;
    } else {
      r.skip(tag & 7);
    }
  }
  return `${field.name}[${index}]`;
}
