/**
 * The OTLP trace messages as a table (field numbers, names and types follow opentelemetry-proto v1.7 and
 * google/rpc/status.proto). The structural validator and both JSON converters are driven by it, so a field
 * added here is understood everywhere.
 */
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './proto-reader.ts';

export type MessageName =
  | 'TracesData' | 'ExportTraceServiceRequest' | 'ResourceSpans' | 'Resource' | 'EntityRef' | 'ScopeSpans'
  | 'InstrumentationScope' | 'Span' | 'Span.Event' | 'Span.Link' | 'Span.Status' | 'KeyValue' | 'AnyValue'
  | 'ArrayValue' | 'KeyValueList' | 'ExportTraceServiceResponse' | 'ExportTracePartialSuccess'
  /** google.rpc.Status, the body of OTLP/HTTP and gRPC error responses. */
  | 'Status'
  /** google.protobuf.Any; in JSON `{"@type": url, "value": base64}` since we know no payload types. */
  | 'Any';

export type ScalarType =
  | 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'fixed32' | 'fixed64' | 'double'
  | 'enum';

export type EnumName = 'SpanKind' | 'StatusCode';

export interface FieldSchema {
  readonly no: number;
  /** Proto (snake_case) name: error paths and accepted JSON keys. */
  readonly name: string;
  /** lowerCamelCase JSON name. */
  readonly json: string;
  readonly type: ScalarType | 'message';
  readonly wireType: number;
  readonly repeated: boolean;
  /** Member of a oneof: present means set, even with a zero value. */
  readonly oneof: boolean;
  /** Trace/span ID: hex in OTLP/JSON, base64 elsewhere. */
  readonly hexId: boolean;
  readonly enumName?: EnumName;
  /** Resolved message schema for `type: 'message'`. */
  message?: MessageSchema;
  /** Position in `MessageSchema.fields`. */
  readonly index: number;
}

export interface MessageSchema {
  readonly name: MessageName;
  /** In .proto declaration order: the order gogo jsonpb writes JSON keys in. */
  readonly fields: readonly FieldSchema[];
  /** In field-number order: the order canonical protobuf is written in. */
  readonly wireOrder: readonly FieldSchema[];
  /** Field by number (sparse). */
  readonly byNumber: readonly (FieldSchema | undefined)[];
  /** Field by JSON key, lowerCamelCase and snake_case. */
  readonly byKey: ReadonlyMap<string, FieldSchema>;
  /** Made of a oneof (AnyValue): an object has one of its keys, so walk the keys rather than the fields. */
  readonly oneofOnly: boolean;
}

export const ENUMS: Readonly<Record<EnumName, readonly string[]>> = {
  SpanKind: ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT',
    'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'],
  StatusCode: ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'],
};

interface FieldDef {
  no: number;
  name: string;
  type: ScalarType | MessageName;
  repeated?: boolean;
  oneof?: boolean;
  hexId?: boolean;
  enumName?: EnumName;
  json?: string;
}

type Opts = Omit<FieldDef, 'no' | 'name' | 'type'>;
const REPEATED: Opts = { repeated: true };
const ONEOF: Opts = { oneof: true };
const ID: Opts = { hexId: true };
const f = (no: number, name: string, type: ScalarType | MessageName, opts: Opts = {}): FieldDef =>
  ({ no, name, type, ...opts });

const RESOURCE_SPANS = [f(1, 'resource_spans', 'ResourceSpans', REPEATED)];

/** Fields in .proto declaration order, which is also the order JSON output uses. */
const DEFS: Record<MessageName, FieldDef[]> = {
  TracesData: RESOURCE_SPANS,
  ExportTraceServiceRequest: RESOURCE_SPANS,
  ResourceSpans: [f(1, 'resource', 'Resource'), f(2, 'scope_spans', 'ScopeSpans', REPEATED),
    f(3, 'schema_url', 'string')],
  Resource: [f(1, 'attributes', 'KeyValue', REPEATED), f(2, 'dropped_attributes_count', 'uint32'),
    f(3, 'entity_refs', 'EntityRef', REPEATED)],
  EntityRef: [f(1, 'schema_url', 'string'), f(2, 'type', 'string'), f(3, 'id_keys', 'string', REPEATED),
    f(4, 'description_keys', 'string', REPEATED)],
  ScopeSpans: [f(1, 'scope', 'InstrumentationScope'), f(2, 'spans', 'Span', REPEATED), f(3, 'schema_url', 'string')],
  InstrumentationScope: [f(1, 'name', 'string'), f(2, 'version', 'string'), f(3, 'attributes', 'KeyValue', REPEATED),
    f(4, 'dropped_attributes_count', 'uint32')],
  Span: [f(1, 'trace_id', 'bytes', ID), f(2, 'span_id', 'bytes', ID), f(3, 'trace_state', 'string'),
    f(4, 'parent_span_id', 'bytes', ID), f(16, 'flags', 'fixed32'), f(5, 'name', 'string'),
    f(6, 'kind', 'enum', { enumName: 'SpanKind' }), f(7, 'start_time_unix_nano', 'fixed64'),
    f(8, 'end_time_unix_nano', 'fixed64'), f(9, 'attributes', 'KeyValue', REPEATED),
    f(10, 'dropped_attributes_count', 'uint32'), f(11, 'events', 'Span.Event', REPEATED),
    f(12, 'dropped_events_count', 'uint32'), f(13, 'links', 'Span.Link', REPEATED),
    f(14, 'dropped_links_count', 'uint32'), f(15, 'status', 'Span.Status')],
  'Span.Event': [f(1, 'time_unix_nano', 'fixed64'), f(2, 'name', 'string'), f(3, 'attributes', 'KeyValue', REPEATED),
    f(4, 'dropped_attributes_count', 'uint32')],
  'Span.Link': [f(1, 'trace_id', 'bytes', ID), f(2, 'span_id', 'bytes', ID), f(3, 'trace_state', 'string'),
    f(4, 'attributes', 'KeyValue', REPEATED), f(5, 'dropped_attributes_count', 'uint32'), f(6, 'flags', 'fixed32')],
  'Span.Status': [f(2, 'message', 'string'), f(3, 'code', 'enum', { enumName: 'StatusCode' })],
  KeyValue: [f(1, 'key', 'string'), f(2, 'value', 'AnyValue')],
  AnyValue: [f(1, 'string_value', 'string', ONEOF), f(2, 'bool_value', 'bool', ONEOF),
    f(3, 'int_value', 'int64', ONEOF), f(4, 'double_value', 'double', ONEOF),
    f(5, 'array_value', 'ArrayValue', ONEOF), f(6, 'kvlist_value', 'KeyValueList', ONEOF),
    f(7, 'bytes_value', 'bytes', ONEOF)],
  ArrayValue: [f(1, 'values', 'AnyValue', REPEATED)],
  KeyValueList: [f(1, 'values', 'KeyValue', REPEATED)],
  ExportTraceServiceResponse: [f(1, 'partial_success', 'ExportTracePartialSuccess')],
  ExportTracePartialSuccess: [f(1, 'rejected_spans', 'int64'), f(2, 'error_message', 'string')],
  Status: [f(1, 'code', 'int32'), f(2, 'message', 'string'), f(3, 'details', 'Any', REPEATED)],
  Any: [f(1, 'type_url', 'string', { json: '@type' }), f(2, 'value', 'bytes')],
};

const SCALARS: ReadonlySet<string> = new Set<ScalarType>(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32',
  'uint64', 'fixed32', 'fixed64', 'double', 'enum']);

function wireTypeOf(type: ScalarType | 'message'): number {
  switch (type) {
    case 'string': case 'bytes': case 'message': return WIRE_LEN;
    case 'fixed32': return WIRE_FIXED32;
    case 'fixed64': case 'double': return WIRE_FIXED64;
    default: return WIRE_VARINT;
  }
}

function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function compile(): Record<MessageName, MessageSchema> {
  const out = {} as Record<MessageName, MessageSchema>;
  const pending: [FieldSchema, MessageName][] = [];
  for (const [name, defs] of Object.entries(DEFS) as [MessageName, FieldDef[]][]) {
    const fields = defs.map((d, index): FieldSchema => {
      const type = SCALARS.has(d.type) ? (d.type as ScalarType) : 'message';
      const field: FieldSchema = {
        no: d.no, name: d.name, json: d.json ?? lowerCamel(d.name), type, wireType: wireTypeOf(type),
        repeated: d.repeated ?? false, oneof: d.oneof ?? false, hexId: d.hexId ?? false, enumName: d.enumName,
        index,
      };
      if (type === 'message') pending.push([field, d.type as MessageName]);
      return field;
    });
    // Filled, not holey: a miss is a plain undefined read on the hot path.
    const byNumber: (FieldSchema | undefined)[] = new Array(Math.max(...fields.map((x) => x.no)) + 1).fill(undefined);
    for (const field of fields) byNumber[field.no] = field;
    const wireOrder = [...fields].sort((a, b) => a.no - b.no);
    const byKey = new Map<string, FieldSchema>();
    for (const field of fields) byKey.set(field.name, field).set(field.json, field);
    out[name] = { name, fields, wireOrder, byNumber, byKey, oneofOnly: fields.every((x) => x.oneof) };
  }
  for (const [field, target] of pending) field.message = out[target];
  return out;
}

export const SCHEMAS: Readonly<Record<MessageName, MessageSchema>> = compile();

export function messageSchema(name: MessageName): MessageSchema {
  return SCHEMAS[name];
}
