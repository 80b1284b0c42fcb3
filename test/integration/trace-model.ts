import type { HrTime, AttributeValue, Link } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * One comparable shape for a span, built three independent ways: from what the SDK recorded, from a
 * protobuf response decoded with protobufjs, and from Tempo's JSON. deepStrictEqual on these is the test.
 */
export type Value =
  | { string: string }
  | { bool: boolean }
  | { int: string }
  | { double: number }
  | { bytes: string }
  | { array: Value[] }
  | { kvlist: Attributes }
  | { empty: true };
export type Attributes = Record<string, Value>;

export interface NormEvent { name: string; time: string; attributes: Attributes }
export interface NormLink { traceId: string; spanId: string; traceState: string; flags: number; attributes: Attributes }
export interface NormSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  start: string;
  end: string;
  attributes: Attributes;
  events: NormEvent[];
  links: NormLink[];
  status: { code: number; message: string };
  resource: Attributes;
  scope: { name: string; version: string };
}

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

/** Spans in a stable order (by span ID) so responses can be compared whatever order they come in. */
export function sortSpans(spans: NormSpan[]): NormSpan[] {
  return [...spans].sort((a, b) => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
}

export function hrTimeToNanos(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

/** The SDK's view: JS numbers become int when integral, as the OTLP exporters encode them. */
export function fromReadableSpan(span: ReadableSpan): NormSpan {
  const ctx = span.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    traceState: ctx.traceState?.serialize() ?? '',
    flags: (ctx.traceFlags & 0xff) | HAS_IS_REMOTE | (span.parentSpanContext?.isRemote ? IS_REMOTE : 0),
    name: span.name,
    kind: span.kind + 1,
    start: hrTimeToNanos(span.startTime),
    end: hrTimeToNanos(span.endTime),
    attributes: jsAttributes(span.attributes),
    events: span.events.map((e) => ({ name: e.name, time: hrTimeToNanos(e.time), attributes: jsAttributes(e.attributes ?? {}) })),
    links: span.links.map(fromLink),
    status: { code: span.status.code, message: span.status.message ?? '' },
    resource: jsAttributes(span.resource.attributes as Record<string, unknown>),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '' },
  };
}

function fromLink(link: Link): NormLink {
  return {
    traceId: link.context.traceId,
    spanId: link.context.spanId,
    traceState: link.context.traceState?.serialize() ?? '',
    flags: (link.context.traceFlags & 0xff) | HAS_IS_REMOTE | (link.context.isRemote ? IS_REMOTE : 0),
    attributes: jsAttributes(link.attributes ?? {}),
  };
}

function jsAttributes(attrs: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = jsValue(v as AttributeValue);
  return out;
}

function jsValue(v: unknown): Value {
  if (typeof v === 'string') return { string: v };
  if (typeof v === 'boolean') return { bool: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { int: String(v) } : { double: v };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (Array.isArray(v)) return { array: v.map(jsValue) };
  if (v !== null && typeof v === 'object') return { kvlist: jsAttributes(v as Record<string, unknown>) };
  throw new Error(`unexpected attribute value ${String(v)}`);
}

// ---- protobuf objects as protobufjs' toObject({ longs: String, enums: Number }) returns them ----

type Obj = Record<string, unknown>;

export function fromProtobufTrace(tracesData: Obj): NormSpan[] {
  return flatten(tracesData, 'resourceSpans', protoDialect);
}

// ---- Tempo JSON (gogo jsonpb: IDs base64, enums by name, 64-bit ints as strings, zero values omitted) ----

export function fromTempoJsonTrace(trace: Obj, listKey: 'resourceSpans' | 'batches'): NormSpan[] {
  return flatten(trace, listKey, jsonDialect);
}

interface Dialect {
  id(v: unknown, path: string): string;
  int64(v: unknown, path: string): string;
  kind(v: unknown, path: string): number;
  statusCode(v: unknown, path: string): number;
  bytes(v: unknown, path: string): string;
}

const protoDialect: Dialect = {
  id: (v) => (v === undefined ? '' : Buffer.from(v as Uint8Array).toString('hex')),
  int64: (v, p) => expectType(v ?? '0', 'string', p) as string,
  kind: (v, p) => expectType(v ?? 0, 'number', p) as number,
  statusCode: (v, p) => expectType(v ?? 0, 'number', p) as number,
  bytes: (v) => Buffer.from(v as Uint8Array).toString('hex'),
};

const KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

const jsonDialect: Dialect = {
  id: (v, p) => (v === undefined ? '' : Buffer.from(expectType(v, 'string', p) as string, 'base64').toString('hex')),
  int64: (v, p) => expectType(v ?? '0', 'string', p) as string,
  kind: (v, p) => enumIndex(KINDS, v, p),
  statusCode: (v, p) => enumIndex(STATUS_CODES, v, p),
  bytes: (v, p) => Buffer.from(expectType(v, 'string', p) as string, 'base64').toString('hex'),
};

function enumIndex(names: string[], v: unknown, path: string): number {
  if (v === undefined) return 0;
  const i = names.indexOf(expectType(v, 'string', path) as string);
  if (i < 0) throw new Error(`${path}: unknown enum name ${String(v)}`);
  return i;
}

function expectType(v: unknown, type: string, path: string): unknown {
  if (typeof v !== type) throw new Error(`${path}: expected a ${type}, got ${JSON.stringify(v)}`);
  return v;
}

function list(o: Obj, key: string): Obj[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${key}: expected an array`);
  return v as Obj[];
}

function flatten(root: Obj, listKey: string, d: Dialect): NormSpan[] {
  const out: NormSpan[] = [];
  list(root, listKey).forEach((rs, i) => {
    const resource = attributes((rs.resource as Obj | undefined) ?? {}, 'attributes', d, `${listKey}[${i}].resource`);
    list(rs, 'scopeSpans').forEach((ss, j) => {
      const scopeObj = (ss.scope as Obj | undefined) ?? {};
      const scope = { name: (scopeObj.name as string | undefined) ?? '', version: (scopeObj.version as string | undefined) ?? '' };
      list(ss, 'spans').forEach((s, k) => out.push(span(s, { resource, scope, d, path: `${listKey}[${i}].scopeSpans[${j}].spans[${k}]` })));
    });
  });
  return out;
}

interface SpanContext { resource: Attributes; scope: NormSpan['scope']; d: Dialect; path: string }

function span(s: Obj, c: SpanContext): NormSpan {
  const { d, path } = c;
  const status = (s.status as Obj | undefined) ?? {};
  return {
    traceId: d.id(s.traceId, `${path}.traceId`),
    spanId: d.id(s.spanId, `${path}.spanId`),
    parentSpanId: d.id(s.parentSpanId, `${path}.parentSpanId`),
    traceState: (s.traceState as string | undefined) ?? '',
    flags: (s.flags as number | undefined) ?? 0,
    name: (s.name as string | undefined) ?? '',
    kind: d.kind(s.kind, `${path}.kind`),
    start: d.int64(s.startTimeUnixNano, `${path}.startTimeUnixNano`),
    end: d.int64(s.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: attributes(s, 'attributes', d, path),
    events: list(s, 'events').map((e, i) => ({
      name: (e.name as string | undefined) ?? '',
      time: d.int64(e.timeUnixNano, `${path}.events[${i}].timeUnixNano`),
      attributes: attributes(e, 'attributes', d, `${path}.events[${i}]`),
    })),
    links: list(s, 'links').map((l, i) => ({
      traceId: d.id(l.traceId, `${path}.links[${i}].traceId`),
      spanId: d.id(l.spanId, `${path}.links[${i}].spanId`),
      traceState: (l.traceState as string | undefined) ?? '',
      flags: (l.flags as number | undefined) ?? 0,
      attributes: attributes(l, 'attributes', d, `${path}.links[${i}]`),
    })),
    status: { code: d.statusCode(status.code, `${path}.status.code`), message: (status.message as string | undefined) ?? '' },
    resource: c.resource,
    scope: c.scope,
  };
}

function attributes(o: Obj, key: string, d: Dialect, path: string): Attributes {
  const out: Attributes = {};
  list(o, key).forEach((kv, i) => {
    const k = kv.key as string;
    if (k in out) throw new Error(`${path}.${key}[${i}]: duplicate key ${k}`);
    out[k] = anyValue((kv.value as Obj | undefined) ?? {}, d, `${path}.${key}[${i}].value`);
  });
  return out;
}

function anyValue(v: Obj, d: Dialect, path: string): Value {
  const keys = Object.keys(v);
  if (keys.length === 0) return { empty: true };
  if (keys.length > 1) throw new Error(`${path}: more than one value ${keys.join(',')}`);
  const x = v[keys[0]!];
  switch (keys[0]) {
    case 'stringValue': return { string: expectType(x, 'string', path) as string };
    case 'boolValue': return { bool: expectType(x, 'boolean', path) as boolean };
    case 'intValue': return { int: d.int64(x, path) };
    case 'doubleValue': return { double: expectType(x, 'number', path) as number };
    case 'bytesValue': return { bytes: d.bytes(x, path) };
    case 'arrayValue': return { array: list(x as Obj, 'values').map((e, i) => anyValue(e, d, `${path}.values[${i}]`)) };
    case 'kvlistValue': return { kvlist: attributes(x as Obj, 'values', d, path) };
    default: throw new Error(`${path}: unknown AnyValue field ${keys[0]}`);
  }
}
