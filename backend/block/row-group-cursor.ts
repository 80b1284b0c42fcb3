import { TracelakeError } from '../../pipeline/errors.ts';
import { ProtoWriter } from '../../pipeline/otlp/proto-writer.ts';
import { AttributeColumnReader } from './attribute-column.ts';
import { ByteSource } from './byte-source.ts';
import { readDict } from './bytes-dict.ts';
import { attributeColumnName, COL } from './column-names.ts';
import { putBytes, putRaw, writeBytes, writeCount, writeTime } from './proto-out.ts';
import { add64, time } from './span-time.ts';
import { StringColumnReader } from './string-column.ts';
import { TRACE_ID_BYTES } from './trace-id.ts';

/** The decompressed columns of one tl2 row group, by name. */
export type RowGroupColumns = ReadonlyMap<string, Uint8Array>;

export function column(columns: RowGroupColumns, name: string): Uint8Array {
  const bytes = columns.get(name);
  if (bytes === undefined) throw new TracelakeError(`row group has no column ${name}`);
  return bytes;
}

const SLAB_BYTES = 1024 * 1024;

/** Columns read as plain varint / byte streams. */
const STREAMS = [COL.traceStart, COL.traceRaw, COL.traceResourceSpans, COL.rsResource, COL.rsScopeSpans, COL.ssScope,
  COL.ssSpans, COL.spanParent, COL.spanParentExternal, COL.spanKind, COL.spanStart, COL.spanDuration, COL.spanFlags,
  COL.spanDropped, COL.spanStatus, COL.spanEvents, COL.spanLinks, COL.spanRest] as const;

type Streams = Record<(typeof STREAMS)[number], ByteSource>;

/**
 * Walks a row group trace by trace: `skip` moves past traces reading only counts and lengths, `next` rebuilds
 * one trace as TracesData. Every column is read in row order, so each is decoded at most once per cursor.
 * Fields are written in field-number order; proto3 zero values are left out. (Over 300 lines: skipping and
 * rebuilding must read the columns alike, so they stay side by side.)
 */
export class RowGroupCursor {
  readonly #columns: RowGroupColumns;
  readonly #ids: Uint8Array;
  readonly #spanIds: Uint8Array;
  readonly #s: Streams;
  readonly #names: StringColumnReader;
  readonly #states: StringColumnReader;
  readonly #messages: StringColumnReader;
  readonly #shapes: StringColumnReader;
  readonly #eventRests: StringColumnReader;
  readonly #shapeKeys = new Map<Uint8Array, number[]>();
  readonly #resources: Uint8Array[];
  readonly #scopes: Uint8Array[];
  readonly #keys: Uint8Array[];
  readonly #attrs: (AttributeColumnReader | undefined)[] = [];
  /** Per key id, KeyValue field 1 as encoded (empty for the empty key). */
  readonly #keyFields: (Uint8Array | undefined)[] = [];
  readonly #minLo: number;
  readonly #minHi: number;
  #trace = 0;
  #spanRow = 0;
  /** Reused trace after trace; `next` copies its traces out. */
  readonly #w = new ProtoWriter(64 * 1024);
  // Traces are handed out as views into slabs: one allocation per ~1 MiB rather than one per trace.
  #slab = new Uint8Array(0);
  #slabAt = 0;

  constructor(columns: RowGroupColumns, traceIds: Uint8Array) {
    this.#columns = columns;
    this.#ids = traceIds;
    this.#spanIds = column(columns, COL.spanId);
    this.#s = Object.fromEntries(STREAMS.map((name) => [name, new ByteSource(column(columns, name))])) as Streams;
    const strings = (name: string) => new StringColumnReader(new ByteSource(column(columns, name)));
    this.#names = strings(COL.spanName);
    this.#states = strings(COL.spanState);
    this.#messages = strings(COL.spanStatusMessage);
    this.#shapes = strings(COL.spanAttrKeys);
    this.#eventRests = strings(COL.spanEventRest);
    this.#resources = readDict(new ByteSource(column(columns, COL.dictResource)));
    this.#scopes = readDict(new ByteSource(column(columns, COL.dictScope)));
    this.#keys = readDict(new ByteSource(column(columns, COL.dictKey)));
    const starts = this.#s[COL.traceStart];
    starts.u64();
    this.#minLo = starts.lo;
    this.#minHi = starts.hi;
  }

  /** Moves past `n` traces. */
  skip(n: number): void {
    const s = this.#s;
    let spans = 0;
    for (let t = 0; t < n; t++) {
      const raw = s[COL.traceRaw].u();
      if (raw > 0) s[COL.traceRaw].take(raw);
      s[COL.traceStart].skipVarint();
      for (let rs = s[COL.traceResourceSpans].u(); rs > 0; rs--) {
        s[COL.rsResource].skipVarint();
        for (let ss = s[COL.rsScopeSpans].u(); ss > 0; ss--) {
          s[COL.ssScope].skipVarint();
          spans += s[COL.ssSpans].u();
        }
      }
    }
    this.#trace += n;
    this.#skipSpans(spans);
  }

  /** The next trace as TracesData bytes: a view of memory no one else writes (copy it to keep it alone). */
  next(): Uint8Array {
    const s = this.#s;
    const traceId = this.#ids.subarray(this.#trace * TRACE_ID_BYTES, (this.#trace + 1) * TRACE_ID_BYTES);
    this.#trace++;
    const raw = s[COL.traceRaw].u();
    s[COL.traceStart].u64();
    add64(this.#minLo, this.#minHi, s[COL.traceStart].lo, s[COL.traceStart].hi);
    const base = { lo: time.lo, hi: time.hi };
    const rsCount = s[COL.traceResourceSpans].u();
    if (raw > 0) return s[COL.traceRaw].take(raw).slice();
    const layout = this.#layout(rsCount);
    const first = this.#spanRow;
    const spans = layout.reduce((n, group) => n + group.spans, 0);
    if (this.#spanIds.length < (first + spans) * 8) throw new TracelakeError('span.id column is cut short');
    const trace: TraceAt = { traceId, spanIds: this.#spanIds.subarray(first * 8, (first + spans) * 8), base };
    const w = this.#w;
    w.pos = 0;
    let span = 0;
    let open = -1;
    for (const group of layout) {
      if (group.newResource) {
        if (open >= 0) w.endMessage(open);
        open = w.beginMessage(1);
        putRaw(w, dictEntry(this.#resources, group.resource));
      }
      if (group.scope < 0) continue; // a ResourceSpans without ScopeSpans
      const ss = w.beginMessage(2);
      putRaw(w, dictEntry(this.#scopes, group.scope));
      for (let k = 0; k < group.spans; k++) this.#writeSpan(w, trace, span++);
      w.endMessage(ss);
    }
    if (open >= 0) w.endMessage(open);
    if (this.#slabAt + w.pos > this.#slab.length) {
      this.#slab = new Uint8Array(Math.max(SLAB_BYTES, w.pos));
      this.#slabAt = 0;
    }
    const out = this.#slab.subarray(this.#slabAt, this.#slabAt + w.pos);
    out.set(w.buf.subarray(0, w.pos));
    this.#slabAt += w.pos;
    return out;
  }

  /** The trace's ResourceSpans / ScopeSpans, one entry per ScopeSpans (or per ResourceSpans without any). */
  #layout(rsCount: number): ScopeGroup[] {
    const s = this.#s;
    const out: ScopeGroup[] = [];
    for (let i = 0; i < rsCount; i++) {
      const resource = s[COL.rsResource].u();
      const ssCount = s[COL.rsScopeSpans].u();
      if (ssCount === 0) out.push({ newResource: true, resource, scope: -1, spans: 0 });
      for (let j = 0; j < ssCount; j++) {
        const scope = s[COL.ssScope].u();
        out.push({ newResource: j === 0, resource, scope, spans: s[COL.ssSpans].u() });
      }
    }
    return out;
  }

  #writeSpan(w: ProtoWriter, trace: TraceAt, index: number): void {
    const s = this.#s;
    const rest = s[COL.spanRest];
    const mark = rest.buf[rest.pos] < 0x80 ? rest.buf[rest.pos] : new ByteSource(rest.buf, rest.pos, rest.end).u();
    if (mark % 2 === 1) {
      // Kept as bytes; its other columns hold defaults.
      const restAt = rest.pos;
      this.#skipSpans(1);
      const bytes = new ByteSource(rest.buf, restAt, rest.end);
      w.tag(2, 2);
      w.bytes(bytes.take((bytes.u() - 1) / 2));
      return;
    }
    this.#spanRow++;
    const m = w.beginMessage(2);
    w.tag(1, 2);
    putBytes(w, trace.traceId);
    w.tag(2, 2);
    putBytes(w, trace.spanIds, index * 8, index * 8 + 8);
    writeBytes(w, 3, this.#states.next());
    this.#writeParent(w, trace);
    writeBytes(w, 5, this.#names.next());
    writeCount(w, 6, s[COL.spanKind].u());
    const starts = s[COL.spanStart];
    starts.u64();
    add64(trace.base.lo, trace.base.hi, starts.lo, starts.hi);
    const start = { lo: time.lo, hi: time.hi };
    writeTime(w, 7, start.lo, start.hi);
    s[COL.spanDuration].z64();
    add64(start.lo, start.hi, s[COL.spanDuration].lo, s[COL.spanDuration].hi);
    writeTime(w, 8, time.lo, time.hi);
    this.#writeAttributes(w);
    const dropped = s[COL.spanDropped];
    writeCount(w, 10, dropped.u());
    this.#writeEvents(w, start);
    writeCount(w, 12, dropped.u());
    for (let count = s[COL.spanLinks].u(); count > 0; count--) {
      w.tag(13, 2);
      w.bytes(s[COL.spanLinks].bytes());
    }
    writeCount(w, 14, dropped.u());
    this.#writeStatus(w);
    const flags = s[COL.spanFlags].u();
    if (flags !== 0) {
      w.tag(16, 5);
      w.fixed32(flags);
    }
    putRaw(w, rest.take(rest.u() / 2));
    w.endMessage(m);
  }

  #writeParent(w: ProtoWriter, trace: TraceAt): void {
    const parent = this.#s[COL.spanParent].u();
    if (parent === 0) return;
    w.tag(4, 2);
    if (parent === 1) {
      w.bytes(this.#s[COL.spanParentExternal].bytes());
      return;
    }
    const p = parent - 2;
    if ((p + 1) * 8 > trace.spanIds.length) throw new TracelakeError('span.parent index out of range');
    putBytes(w, trace.spanIds, p * 8, p * 8 + 8);
  }

  #writeAttributes(w: ProtoWriter): void {
    for (const id of this.#nextShape()) {
      const kv = w.beginMessage(9);
      putRaw(w, this.#keyFields[id] ??= keyField(this.#keys[id]));
      this.#attr(id).writeNext(w);
      w.endMessage(kv);
    }
  }

  #writeEvents(w: ProtoWriter, start: { lo: number; hi: number }): void {
    const events = this.#s[COL.spanEvents];
    for (let count = events.u(); count > 0; count--) {
      const e = w.beginMessage(11);
      events.z64();
      add64(start.lo, start.hi, events.lo, events.hi);
      writeTime(w, 1, time.lo, time.hi);
      putRaw(w, this.#eventRests.next());
      w.endMessage(e);
    }
  }

  #writeStatus(w: ProtoWriter): void {
    const status = this.#s[COL.spanStatus].u();
    if (status === 0) return;
    const st = w.beginMessage(15);
    writeBytes(w, 2, this.#messages.next());
    writeCount(w, 3, status - 1);
    w.endMessage(st);
  }

  #skipSpans(n: number): void {
    const s = this.#s;
    this.#spanRow += n;
    for (let i = 0; i < n; i++) if (s[COL.spanParent].u() === 1) s[COL.spanParentExternal].skipBytes();
    this.#names.skip(n);
    this.#states.skip(n);
    for (const name of [COL.spanKind, COL.spanStart, COL.spanDuration, COL.spanFlags] as const) {
      const src = s[name];
      for (let i = 0; i < n; i++) src.skipVarint();
    }
    const dropped = s[COL.spanDropped];
    for (let i = 0; i < 3 * n; i++) dropped.skipVarint();
    let statuses = 0;
    for (let i = 0; i < n; i++) if (s[COL.spanStatus].u() !== 0) statuses++;
    this.#messages.skip(statuses);
    const perKey = new Int32Array(this.#keys.length);
    for (let i = 0; i < n; i++) for (const id of this.#nextShape()) perKey[id]++;
    perKey.forEach((count, id) => {
      if (count > 0) this.#attr(id).skip(count);
    });
    const { [COL.spanEvents]: events, [COL.spanLinks]: links, [COL.spanRest]: rest } = s;
    let eventCount = 0;
    for (let i = 0; i < n; i++) {
      for (let e = events.u(); e > 0; e--, eventCount++) events.skipVarint();
      for (let l = links.u(); l > 0; l--) links.skipBytes();
      rest.take(Math.floor(rest.u() / 2));
    }
    this.#eventRests.skip(eventCount);
  }

  /** The next span's attribute key ids, in order. */
  #nextShape(): number[] {
    const bytes = this.#shapes.next();
    let ids = this.#shapeKeys.get(bytes);
    if (ids === undefined) {
      ids = [];
      const src = new ByteSource(bytes);
      while (!src.done()) {
        const id = src.u();
        if (id >= this.#keys.length) throw new TracelakeError(`attribute key id ${id} out of range`);
        ids.push(id);
      }
      if (this.#shapes.dictionary !== undefined) this.#shapeKeys.set(bytes, ids);
    }
    return ids;
  }

  #attr(id: number): AttributeColumnReader {
    let reader = this.#attrs[id];
    if (reader === undefined) {
      reader = new AttributeColumnReader(column(this.#columns, attributeColumnName(this.#keys[id], id)));
      this.#attrs[id] = reader;
    }
    return reader;
  }
}

interface TraceAt {
  readonly traceId: Uint8Array;
  /** The span IDs of the trace, 8 bytes each, in span order (what `span.parent` indexes). */
  readonly spanIds: Uint8Array;
  /** Earliest span start: what span starts are relative to. */
  readonly base: { readonly lo: number; readonly hi: number };
}

interface ScopeGroup {
  /** First ScopeSpans of a ResourceSpans. */
  readonly newResource: boolean;
  readonly resource: number;
  /** Id in dict.scope; -1 for a ResourceSpans without ScopeSpans. */
  readonly scope: number;
  readonly spans: number;
}

function keyField(key: Uint8Array): Uint8Array {
  const w = new ProtoWriter(key.length + 8);
  writeBytes(w, 1, key);
  return new Uint8Array(w.finish());
}

function dictEntry(dict: readonly Uint8Array[], id: number): Uint8Array {
  const entry = dict[id];
  if (entry === undefined) throw new TracelakeError(`dictionary id ${id} out of range`);
  return entry;
}
