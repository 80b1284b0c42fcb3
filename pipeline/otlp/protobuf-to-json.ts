import { MAX_DEPTH, segmentName, wrongWireType } from './message-validator.ts';
import { PayloadError } from './payload-error.ts';
import { ProtoReader } from './proto-reader.ts';
import { ENUMS, SCHEMAS } from './schema.ts';
import type { FieldSchema, MessageName, MessageSchema } from './schema.ts';

/**
 * 'otlp': OTLP/JSON — trace/span IDs hex, enums as numbers.
 * 'tempo': gogo jsonpb as Grafana Tempo's API writes it — every bytes field (IDs too) base64, enums as names.
 * Both: lowerCamelCase keys, 64-bit integers as decimal strings, other numbers as numbers, zero values
 * left out except oneof members and present messages (an empty Status is `{}`).
 */
export type JsonStyle = 'otlp' | 'tempo';

type Raw = number | bigint | boolean | string | Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TWO_32 = 4294967296;

/** Decodes (and fully validates) a message into a JSON-ready object. Throws PermanentError on bad bytes. */
export function protobufToJson(bytes: Uint8Array, message: MessageName, style: JsonStyle): unknown {
  const decoder = new JsonDecoder(new ProtoReader(bytes), style);
  return decoder.message(bytes.length, SCHEMAS[message]);
}

class JsonDecoder {
  private readonly r: ProtoReader;
  private readonly hexIds: boolean;
  private readonly enumNames: boolean;
  private depth = 0;

  constructor(r: ProtoReader, style: JsonStyle) {
    this.r = r;
    this.hexIds = style === 'otlp';
    this.enumNames = style === 'tempo';
  }

  message(end: number, schema: MessageSchema): Record<string, unknown> {
    const r = this.r;
    const start = r.pos;
    const outer = r.enter(end);
    const values: (Raw | Raw[] | undefined)[] = new Array(schema.fields.length).fill(undefined);
    let oneofSet = -1;
    while (r.pos < end) {
      const tag = r.tag();
      const field = schema.byNumber[tag >>> 3];
      if (field === undefined) {
        r.skip(tag & 7);
        continue;
      }
      if ((tag & 7) !== field.wireType) throw wrongWireType(field, tag & 7);
      const v = this.value(field, start);
      if (field.repeated) ((values[field.index] ??= []) as Raw[]).push(v);
      else values[field.index] = v;
      if (field.oneof) {
        // The last member of a oneof wins, as in protobuf.
        if (oneofSet >= 0 && oneofSet !== field.index) values[oneofSet] = undefined;
        oneofSet = field.index;
      }
    }
    r.leave(outer);
    return this.assemble(schema, values);
  }

  private value(field: FieldSchema, start: number): Raw {
    const r = this.r;
    switch (field.type) {
      case 'message': return this.nested(field, start);
      case 'string': return r.string();
      case 'bytes': return r.bytesAsString(field.hexId && this.hexIds ? 'hex' : 'base64');
      case 'bool': return r.varint() !== 0;
      case 'fixed32': return r.fixed32();
      case 'double': return r.double();
      case 'uint32': return uint32(r.varint());
      case 'int32': case 'enum': return r.int32();
      case 'fixed64': {
        const p = r.pos;
        const n = r.fixed64();
        if (n <= MAX_SAFE) return n;
        r.pos = p;
        return r.fixed64Big();
      }
      default: { // int64, uint64
        const p = r.pos;
        const n = r.varint();
        if (n <= MAX_SAFE) return n;
        r.pos = p;
        const u = r.varintBig();
        return field.type === 'int64' ? BigInt.asIntN(64, u) : u;
      }
    }
  }

  private nested(field: FieldSchema, start: number): Record<string, unknown> {
    const r = this.r;
    const end = r.lengthEnd();
    if (this.depth >= MAX_DEPTH) throw new PayloadError(`messages nested deeper than ${MAX_DEPTH}`);
    const contentStart = r.pos;
    this.depth++;
    try {
      return this.message(end, field.message!);
    } catch (err) {
      if (err instanceof PayloadError) throw err.within(segmentName(field, { buf: r.buf, start, contentStart }));
      throw err;
    } finally {
      this.depth--;
    }
  }

  private assemble(schema: MessageSchema, values: (Raw | Raw[] | undefined)[]): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (const field of schema.fields) {
      const v = values[field.index];
      if (v === undefined) continue;
      if (field.repeated) {
        const list = v as Raw[];
        const asIs = field.type === 'message' || field.type === 'string' || field.type === 'bytes';
        obj[field.json] = asIs ? list : list.map((x) => this.format(field, x));
      } else if (field.oneof || field.type === 'message' || !isDefault(v as Raw)) {
        obj[field.json] = this.format(field, v as Raw);
      }
    }
    return obj;
  }

  private format(field: FieldSchema, v: Raw): unknown {
    switch (field.type) {
      case 'int64': case 'uint64': case 'fixed64': return String(v);
      case 'enum': return this.enumNames ? (ENUMS[field.enumName!][v as number] ?? v) : v;
      case 'double': return Number.isFinite(v) ? v : String(v);
      default: return v;
    }
  }
}

function isDefault(v: Raw): boolean {
  return v === 0 || v === 0n || v === '' || v === false;
}

/** uint32 keeps the low 32 bits of an over-long varint, as protobuf does. */
function uint32(n: number): number {
  return n <= 0xffffffff ? n : n % TWO_32;
}
