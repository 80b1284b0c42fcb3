import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { readKeyValue } from './any-value.ts';
import { readEvent, readLink } from './event-link-reader.ts';
import { buildTrace } from './span-model.ts';
import type { SpanData, SpanEvent, SpanLink, TraceModel } from './span-model.ts';
import type { AttributeValue } from './value.ts';

const WIRE_LEN = 2;

/** One trace from an encoded Tempo Trace / OTLP TracesData (same field numbers). Throws PayloadError. */
export function traceModel(traceBytes: Uint8Array): TraceModel {
  const spans = decodeSpans(traceBytes);
  return buildTrace(spans[0]?.traceId ?? '', spans);
}

/** Every trace in a TracesData / ExportTraceServiceRequest, split by trace ID, in order of first span. */
export function traceModels(bytes: Uint8Array): TraceModel[] {
  const groups = new Map<string, SpanData[]>();
  for (const s of decodeSpans(bytes)) {
    let g = groups.get(s.traceId);
    if (g === undefined) groups.set(s.traceId, (g = []));
    g.push(s);
  }
  return [...groups].map(([id, spans]) => buildTrace(id, spans));
}

export function decodeSpans(bytes: Uint8Array): SpanData[] {
  const r = new ProtoReader(bytes);
  const out: SpanData[] = [];
  forEachLen(r, bytes.length, (field, end) => {
    if (field === 1) readResourceSpans(r, end, out);
  });
  return out;
}

interface ScopeInfo {
  readonly resource: ReadonlyMap<string, AttributeValue>;
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly scopeAttributes: ReadonlyMap<string, AttributeValue>;
}

function readResourceSpans(r: ProtoReader, end: number, out: SpanData[]): void {
  const resource = new Map<string, AttributeValue>();
  const scopes: Array<[number, number]> = [];
  forEachLen(r, end, (field, fend) => {
    if (field === 1) forEachLen(r, fend, (f, e) => { if (f === 1) readKeyValue(r, e, resource); });
    else if (field === 2) scopes.push([r.pos, fend]);
  });
  // Resource may come after its scope spans on the wire: read scopes once it is known.
  for (const [start, send] of scopes) {
    r.pos = start;
    readScopeSpans(r, send, resource, out);
  }
  r.pos = end;
}

function readScopeSpans(r: ProtoReader, end: number, resource: ReadonlyMap<string, AttributeValue>, out: SpanData[]): void {
  const info = { resource, scopeName: '', scopeVersion: '', scopeAttributes: new Map<string, AttributeValue>() };
  const spans: Array<[number, number]> = [];
  forEachLen(r, end, (field, fend) => {
    if (field === 1) {
      forEachLen(r, fend, (f, e) => {
        if (f === 1) info.scopeName = fieldText(r, e);
        else if (f === 2) info.scopeVersion = fieldText(r, e);
        else if (f === 3) readKeyValue(r, e, info.scopeAttributes);
      });
    } else if (field === 2) spans.push([r.pos, fend]);
  });
  for (const [start, send] of spans) {
    r.pos = start;
    out.push(readSpan(r, send, info));
  }
  r.pos = end;
}

function readSpan(r: ProtoReader, end: number, info: ScopeInfo): SpanData {
  const outer = r.enter(end);
  const attributes = new Map<string, AttributeValue>();
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  let traceId = '', spanId = '', parentSpanId = '', name = '', statusMessage = '';
  let kind = 0, statusCode = 0;
  let start = 0n, finish = 0n;
  while (!r.done()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: traceId = r.bytesAsString('hex'); break;
      case 2: spanId = r.bytesAsString('hex'); break;
      case 4: parentSpanId = r.bytesAsString('hex'); break;
      case 5: name = r.string(); break;
      case 6: kind = r.int32(); break;
      case 7: start = r.fixed64Big(); break;
      case 8: finish = r.fixed64Big(); break;
      case 9: readKeyValue(r, r.lengthEnd(), attributes); break;
      case 11: events.push(readEvent(r, r.lengthEnd())); break;
      case 13: links.push(readLink(r, r.lengthEnd())); break;
      case 15: {
        const sEnd = r.lengthEnd();
        forEachAny(r, sEnd, (f) => {
          if (f === 2) statusMessage = r.string();
          else if (f === 3) statusCode = r.int32();
          else return false;
          return true;
        });
        break;
      }
      default: r.skip(tag & 7);
    }
  }
  r.leave(outer);
  r.pos = end;
  return {
    traceId, spanId, parentSpanId: /^0*$/.test(parentSpanId) ? '' : parentSpanId, name, kind, statusCode,
    statusMessage, startUnixNano: start, endUnixNano: finish, attributes, events, links, ...info,
  };
}

/** Calls `visit(field, end)` for each length-delimited field in [pos, end); other wire types are skipped. */
export function forEachLen(r: ProtoReader, end: number, visit: (field: number, end: number) => void): void {
  const outer = r.enter(end);
  while (!r.done()) {
    const tag = r.tag();
    if ((tag & 7) !== WIRE_LEN) {
      r.skip(tag & 7);
      continue;
    }
    const fend = r.lengthEnd();
    visit(tag >>> 3, fend);
    r.pos = fend;
  }
  r.leave(outer);
}

/** Calls `read(field)` for each field in [pos, end); a field it does not read (returns false) is skipped. */
function forEachAny(r: ProtoReader, end: number, read: (field: number) => boolean): void {
  const outer = r.enter(end);
  while (!r.done()) {
    const tag = r.tag();
    if (!read(tag >>> 3)) r.skip(tag & 7);
  }
  r.leave(outer);
}

/** The payload [pos, end) as text, for a field whose length prefix forEachLen already read. */
export function fieldText(r: ProtoReader, end: number): string {
  return Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, end - r.pos).toString('utf8');
}
