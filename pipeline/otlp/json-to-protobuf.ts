import { PayloadError, rethrowWithin } from './payload-error.ts';
import { ProtoWriter } from './proto-writer.ts';
import { ENUMS, SCHEMAS } from './schema.ts';
import type { FieldSchema, MessageName, MessageSchema } from './schema.ts';
import {
  describe, jsonBase64, jsonBool, jsonDouble, jsonEnum, jsonHex, jsonInt, jsonInt64, jsonString,
} from './json-scalars.ts';
import { MAX_DEPTH } from './message-validator.ts';

/**
 * OTLP/JSON ExportTraceServiceRequest (already parsed) to protobuf. Per the OTLP spec: trace/span IDs are
 * hex, enums ints (names accepted too), 64-bit ints strings or numbers, bytes base64; lowerCamelCase and
 * snake_case keys both work; unknown keys are ignored. Throws PermanentError (PayloadError) with the path.
 */
export function otlpJsonToProtobuf(json: unknown): Uint8Array {
  return jsonToProtobuf(json, 'ExportTraceServiceRequest');
}

/** Any schema message from OTLP/JSON to protobuf, fields in canonical (field-number) order. */
export function jsonToProtobuf(json: unknown, message: MessageName): Uint8Array {
  const encoder = new JsonEncoder();
  encoder.message(json, SCHEMAS[message]);
  return encoder.w.finish();
}

class JsonEncoder {
  readonly w = new ProtoWriter(4096);
  private depth = 0;

  message(value: unknown, schema: MessageSchema): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PayloadError(`expected an object, got ${describe(value)}`);
    }
    const obj = value as Record<string, unknown>;
    if (schema.oneofOnly) {
      for (const key in obj) {
        const field = schema.byKey.get(key);
        if (field !== undefined) this.keyed(field, key, obj[key]);
      }
      return;
    }
    for (const field of schema.wireOrder) {
      let key = field.json;
      let v = obj[key];
      if (v === undefined && field.name !== key) v = obj[(key = field.name)];
      this.keyed(field, key, v);
    }
  }

  /** The value of one key; null means absent, as in proto3 JSON. */
  private keyed(field: FieldSchema, key: string, v: unknown): void {
    if (v === undefined || v === null) return;
    try {
      if (field.repeated) this.repeated(field, v);
      else this.value(field, v);
    } catch (err) {
      rethrowWithin(err, key);
    }
  }

  private repeated(field: FieldSchema, list: unknown): void {
    if (!Array.isArray(list)) throw new PayloadError(`expected an array, got ${describe(list)}`);
    for (let i = 0; i < list.length; i++) {
      try {
        this.value(field, list[i]);
      } catch (err) {
        rethrowWithin(err, `[${i}]`);
      }
    }
  }

  /** One value of a field; proto3 defaults are left out unless the field is in a oneof (or repeated). */
  private value(field: FieldSchema, v: unknown): void {
    const w = this.w;
    const always = field.oneof || field.repeated;
    switch (field.type) {
      case 'message': return this.nested(field, v);
      case 'string': {
        const s = jsonString(v);
        if (s === '' && !always) return;
        w.tag(field.no, field.wireType);
        w.string(s);
        return;
      }
      case 'bytes': {
        const b = field.hexId ? jsonHex(v) : jsonBase64(v);
        if (b.length === 0 && !always) return;
        w.tag(field.no, field.wireType);
        w.bytes(b);
        return;
      }
      case 'double': {
        const n = jsonDouble(v);
        if (n === 0 && !Object.is(n, -0) && !always) return;
        w.tag(field.no, field.wireType);
        w.double(n);
        return;
      }
      default:
        this.integer(field, v, always);
    }
  }

  private integer(field: FieldSchema, v: unknown, always: boolean): void {
    let n: number | bigint;
    switch (field.type) {
      case 'bool': n = jsonBool(v) ? 1 : 0; break;
      case 'enum': n = jsonEnum(v, ENUMS[field.enumName!]); break;
      case 'int32': n = jsonInt(v, -2147483648, 2147483647); break;
      case 'uint32': case 'fixed32': n = jsonInt(v, 0, 4294967295); break;
      case 'int64': n = jsonInt64(v, false); break;
      default: n = jsonInt64(v, true); // uint64, fixed64
    }
    if ((n === 0 || n === 0n) && !always) return;
    const w = this.w;
    w.tag(field.no, field.wireType);
    if (field.type === 'fixed64') w.fixed64(n);
    else if (field.type === 'fixed32') w.fixed32(Number(n));
    else w.int64(n);
  }

  private nested(field: FieldSchema, v: unknown): void {
    if (this.depth >= MAX_DEPTH) throw new PayloadError(`objects nested deeper than ${MAX_DEPTH}`);
    const mark = this.w.beginMessage(field.no);
    this.depth++;
    this.message(v, field.message!);
    this.depth--;
    this.w.endMessage(mark);
  }
}
