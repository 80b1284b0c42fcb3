/** Hand-encoded OTLP traces for querier and API tests, and a reader that summarises them. */
import { ProtoReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';

export interface SpanSpec {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly kind?: number;
  readonly startUnixNano?: bigint;
  readonly endUnixNano?: bigint;
  readonly attributes?: Readonly<Record<string, string | number>>;
}

export interface ScopeSpec {
  readonly name: string;
  readonly version?: string;
  readonly spans: readonly SpanSpec[];
}

export interface ResourceSpec {
  readonly service: string;
  readonly scopes: readonly ScopeSpec[];
}

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** TracesData bytes (the same bytes as a Trace / ExportTraceServiceRequest). */
export function encodeTrace(resources: readonly ResourceSpec[]): Uint8Array {
  const w = new ProtoWriter();
  for (const rs of resources) {
    const r = w.beginMessage(1);
    const res = w.beginMessage(1);
    writeAttribute(w, 1, 'service.name', rs.service);
    w.endMessage(res);
    for (const ss of rs.scopes) {
      const s = w.beginMessage(2);
      const scope = w.beginMessage(1);
      w.tag(1, WIRE_LEN);
      w.string(ss.name);
      if (ss.version !== undefined) {
        w.tag(2, WIRE_LEN);
        w.string(ss.version);
      }
      w.endMessage(scope);
      for (const span of ss.spans) writeSpan(w, span);
      w.endMessage(s);
    }
    w.endMessage(r);
  }
  return new Uint8Array(w.finish());
}

function writeSpan(w: ProtoWriter, span: SpanSpec): void {
  const m = w.beginMessage(2);
  w.tag(1, WIRE_LEN);
  w.bytes(Buffer.from(span.traceId, 'hex'));
  w.tag(2, WIRE_LEN);
  w.bytes(Buffer.from(span.spanId, 'hex'));
  w.tag(5, WIRE_LEN);
  w.string(span.name);
  if (span.kind !== undefined) {
    w.tag(6, WIRE_VARINT);
    w.varint(span.kind);
  }
  w.tag(7, WIRE_FIXED64);
  w.fixed64(span.startUnixNano ?? 1_700_000_000_000_000_000n);
  w.tag(8, WIRE_FIXED64);
  w.fixed64(span.endUnixNano ?? 1_700_000_001_000_000_000n);
  for (const [key, value] of Object.entries(span.attributes ?? {})) writeAttribute(w, 9, key, value);
  w.endMessage(m);
}

function writeAttribute(w: ProtoWriter, field: number, key: string, value: string | number): void {
  const kv = w.beginMessage(field);
  w.tag(1, WIRE_LEN);
  w.string(key);
  const any = w.beginMessage(2);
  if (typeof value === 'string') {
    w.tag(1, WIRE_LEN);
    w.string(value);
  } else {
    w.tag(3, WIRE_VARINT);
    w.int64(value);
  }
  w.endMessage(any);
  w.endMessage(kv);
}

/** `service/scope: spanId name, …` per ScopeSpans, in encoded order: compact and exact for assertions. */
export function summarize(trace: Uint8Array): string[] {
  const out: string[] = [];
  forEachField(trace, (field, r) => {
    if (field !== 1) return;
    let service = '';
    const scopes: Uint8Array[] = [];
    forEachField(r.bytes(), (f, rr) => {
      if (f === 1) service = stringAttribute(rr.bytes(), 'service.name');
      else if (f === 2) scopes.push(rr.bytes());
    });
    for (const scope of scopes) out.push(`${service}/${summarizeScope(scope)}`);
  });
  return out;
}

function summarizeScope(bytes: Uint8Array): string {
  let name = '';
  const spans: string[] = [];
  forEachField(bytes, (f, r) => {
    if (f === 1) forEachField(r.bytes(), (ff, rr) => { if (ff === 1) name = rr.string(); });
    else if (f === 2) {
      let id = '';
      let spanName = '';
      forEachField(r.bytes(), (ff, rr) => {
        if (ff === 2) id = Buffer.from(rr.bytes()).toString('hex');
        else if (ff === 5) spanName = rr.string();
      });
      spans.push(`${id} ${spanName}`);
    }
  });
  return `${name}: ${spans.join(', ')}`;
}

function stringAttribute(resource: Uint8Array, key: string): string {
  let found = '';
  forEachField(resource, (f, r) => {
    if (f !== 1) return;
    let k = '';
    let v = '';
    forEachField(r.bytes(), (ff, rr) => {
      if (ff === 1) k = rr.string();
      else if (ff === 2) forEachField(rr.bytes(), (fff, rrr) => { if (fff === 1) v = rrr.string(); });
    });
    if (k === key) found = v;
  });
  return found;
}

/** Calls `visit` for each top-level field; it must read the field's payload or leave it to be skipped. */
export function forEachField(bytes: Uint8Array, visit: (field: number, reader: ProtoReader, wireType: number) => void): void {
  const r = new ProtoReader(bytes);
  while (!r.done()) {
    const tag = r.tag();
    const before = r.pos;
    visit(tag >>> 3, r, tag & 7);
    if (r.pos === before) r.skip(tag & 7);
  }
}
