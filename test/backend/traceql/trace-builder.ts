/** Hand-encoded OTLP traces for the TraceQL tests: parents, kinds, statuses and every AnyValue type. */
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;

export type Attr =
  | string | number | boolean
  | { readonly double: number }
  | { readonly array: ReadonlyArray<string | number | boolean> }
  | { readonly kvlist: Readonly<Record<string, string>> }
  | Uint8Array;

export interface SpanSpec {
  /** A short label (≤ 8 characters) turned into the span ID. */
  readonly id: string;
  readonly parent?: string;
  readonly name?: string;
  readonly kind?: number;
  readonly status?: number;
  readonly statusMessage?: string;
  /** Milliseconds after the trace's base time. */
  readonly startMs?: number;
  readonly durationMs?: number;
  readonly attrs?: Readonly<Record<string, Attr>>;
  readonly events?: ReadonlyArray<{ readonly name: string; readonly atMs: number; readonly attrs?: Readonly<Record<string, Attr>> }>;
  readonly links?: ReadonlyArray<{ readonly traceId: string; readonly spanId: string; readonly attrs?: Readonly<Record<string, Attr>> }>;
}

export interface ResourceSpec {
  readonly attrs?: Readonly<Record<string, Attr>>;
  readonly scope?: { readonly name: string; readonly version?: string; readonly attrs?: Readonly<Record<string, Attr>> };
  readonly spans: readonly SpanSpec[];
}

const BASE_NS = 1_700_000_000_000_000_000n;

export function spanId(label: string): string {
  return Buffer.from(label).toString('hex').padStart(16, '0');
}

export function encodeTrace(resources: readonly ResourceSpec[], traceId = '0af7651916cd43dd8448eb211c80319c'): Uint8Array {
  const w = new ProtoWriter();
  for (const rs of resources) {
    const r = w.beginMessage(1);
    const res = w.beginMessage(1);
    for (const [k, v] of Object.entries(rs.attrs ?? {})) writeKeyValue(w, 1, k, v);
    w.endMessage(res);
    const ss = w.beginMessage(2);
    const scope = w.beginMessage(1);
    w.tag(1, LEN);
    w.string(rs.scope?.name ?? 'test-scope');
    w.tag(2, LEN);
    w.string(rs.scope?.version ?? '1.0');
    for (const [k, v] of Object.entries(rs.scope?.attrs ?? {})) writeKeyValue(w, 3, k, v);
    w.endMessage(scope);
    for (const span of rs.spans) writeSpan(w, span, traceId);
    w.endMessage(ss);
    w.endMessage(r);
  }
  return new Uint8Array(w.finish());
}

/** Encodes and decodes: the model the engine evaluates. */
export function buildTrace(resources: readonly ResourceSpec[], traceId?: string): TraceModel {
  return traceModel(encodeTrace(resources, traceId));
}

function writeSpan(w: ProtoWriter, span: SpanSpec, traceId: string): void {
  const m = w.beginMessage(2);
  w.tag(1, LEN);
  w.bytes(Buffer.from(traceId, 'hex'));
  w.tag(2, LEN);
  w.bytes(Buffer.from(spanId(span.id), 'hex'));
  if (span.parent !== undefined) {
    w.tag(4, LEN);
    w.bytes(Buffer.from(spanId(span.parent), 'hex'));
  }
  w.tag(5, LEN);
  w.string(span.name ?? span.id);
  if (span.kind !== undefined) {
    w.tag(6, VARINT);
    w.varint(span.kind);
  }
  const start = BASE_NS + BigInt(span.startMs ?? 0) * 1_000_000n;
  w.tag(7, FIXED64);
  w.fixed64(start);
  w.tag(8, FIXED64);
  w.fixed64(start + BigInt(Math.round((span.durationMs ?? 1) * 1_000_000)));
  for (const [k, v] of Object.entries(span.attrs ?? {})) writeKeyValue(w, 9, k, v);
  for (const ev of span.events ?? []) {
    const e = w.beginMessage(11);
    w.tag(1, FIXED64);
    w.fixed64(start + BigInt(Math.round(ev.atMs * 1_000_000)));
    w.tag(2, LEN);
    w.string(ev.name);
    for (const [k, v] of Object.entries(ev.attrs ?? {})) writeKeyValue(w, 3, k, v);
    w.endMessage(e);
  }
  for (const link of span.links ?? []) {
    const l = w.beginMessage(13);
    w.tag(1, LEN);
    w.bytes(Buffer.from(link.traceId, 'hex'));
    w.tag(2, LEN);
    w.bytes(Buffer.from(link.spanId, 'hex'));
    for (const [k, v] of Object.entries(link.attrs ?? {})) writeKeyValue(w, 4, k, v);
    w.endMessage(l);
  }
  if (span.status !== undefined || span.statusMessage !== undefined) {
    const st = w.beginMessage(15);
    if (span.statusMessage !== undefined) {
      w.tag(2, LEN);
      w.string(span.statusMessage);
    }
    if (span.status !== undefined) {
      w.tag(3, VARINT);
      w.varint(span.status);
    }
    w.endMessage(st);
  }
  w.endMessage(m);
}

function writeKeyValue(w: ProtoWriter, field: number, key: string, value: Attr): void {
  const kv = w.beginMessage(field);
  w.tag(1, LEN);
  w.string(key);
  const any = w.beginMessage(2);
  writeAnyValue(w, value);
  w.endMessage(any);
  w.endMessage(kv);
}

function writeAnyValue(w: ProtoWriter, value: Attr): void {
  if (typeof value === 'string') {
    w.tag(1, LEN);
    w.string(value);
  } else if (typeof value === 'boolean') {
    w.tag(2, VARINT);
    w.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    w.tag(3, VARINT);
    w.int64(value);
  } else if (value instanceof Uint8Array) {
    w.tag(7, LEN);
    w.bytes(value);
  } else if ('double' in value) {
    w.tag(4, FIXED64);
    w.double(value.double);
  } else if ('array' in value) {
    const arr = w.beginMessage(5);
    for (const v of value.array) {
      const el = w.beginMessage(1);
      writeAnyValue(w, v);
      w.endMessage(el);
    }
    w.endMessage(arr);
  } else {
    const list = w.beginMessage(6);
    for (const [k, v] of Object.entries(value.kvlist)) writeKeyValue(w, 1, k, v);
    w.endMessage(list);
  }
}
