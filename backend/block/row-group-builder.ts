import {
  VALUE_ARRAY, VALUE_BOOL, VALUE_BYTES, VALUE_DOUBLE, VALUE_INT, VALUE_KVLIST, VALUE_STRING,
} from './any-value-tags.ts';
import { AttributeColumnBuilder } from './attribute-column.ts';
import { ByteSink } from './byte-sink.ts';
import { BytesDict } from './bytes-dict.ts';
import { attributeColumnName, COL } from './column-names.ts';
import type { ParsedSpan } from './parsed-span.ts';
import { TraceParser } from './parse-trace.ts';
import { less64, sub64, time } from './span-time.ts';
import { StringColumnBuilder } from './string-column.ts';
import { RowGroupSummaryBuilder } from './row-group-summary-builder.ts';
import type { RowGroupSummary } from './row-group-summary.ts';
import { readVarint64 } from './varint64.ts';

/** One column of a finished row group, uncompressed. */
export interface ColumnBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const varint = { lo: 0, hi: 0 };
const EMPTY = new Uint8Array(0);
const ZERO_ID = new Uint8Array(8);

/**
 * Turns traces (encoded TracesData, in trace ID order) into the columns of one tl2 row group. A trace that
 * is not a well-formed TracesData is kept as its bytes (`trace.raw`); a span the columns cannot represent
 * exactly is kept as its bytes (`span.rest`, flagged) with default values in the other columns.
 */
export class RowGroupBuilder {
  traces = 0;
  /** Bytes of the traces added (encoded), to cut row groups by size. */
  inputBytes = 0;
  readonly #s = new Map<string, ByteSink>();
  readonly #names = new StringColumnBuilder();
  readonly #states = new StringColumnBuilder();
  readonly #messages = new StringColumnBuilder();
  /** Per span, its attribute keys in order (a "shape", varint key ids): few distinct shapes per row group. */
  readonly #shapes = new StringColumnBuilder();
  readonly #shape = new ByteSink(64);
  /** Each event's fields but its time (name, attributes): mostly the same few exceptions, so a dictionary. */
  readonly #eventRests = new StringColumnBuilder();
  readonly #resources = new BytesDict();
  readonly #scopes = new BytesDict();
  readonly #keys = new BytesDict();
  readonly #attrColumns: AttributeColumnBuilder[] = [];
  /** Key id that followed key id i last time (index 0: first key of a span): spans of a kind repeat their key order. */
  readonly #nextKey: number[] = [];
  readonly #baseLo: number[] = [];
  readonly #baseHi: number[] = [];
  readonly #trace = new TraceParser(this.#resources, this.#scopes);
  readonly #summary = new RowGroupSummaryBuilder();
  /** The span columns written directly. */
  readonly #cols = {
    ids: this.#sink(COL.spanId), parents: this.#sink(COL.spanParent), external: this.#sink(COL.spanParentExternal),
    kinds: this.#sink(COL.spanKind), starts: this.#sink(COL.spanStart), durations: this.#sink(COL.spanDuration),
    flags: this.#sink(COL.spanFlags), dropped: this.#sink(COL.spanDropped), statuses: this.#sink(COL.spanStatus),
    events: this.#sink(COL.spanEvents), links: this.#sink(COL.spanLinks), rest: this.#sink(COL.spanRest),
  };

  #sink(name: string): ByteSink {
    let sink = this.#s.get(name);
    if (sink === undefined) {
      sink = new ByteSink(4096);
      this.#s.set(name, sink);
    }
    return sink;
  }

  add(traceId: Uint8Array, trace: Uint8Array): void {
    this.traces++;
    this.inputBytes += trace.length;
    this.#sink(COL.traceId).raw(traceId);
    let parsed = false;
    try {
      parsed = this.#trace.parse(traceId, trace);
    } catch {
      parsed = false;
    }
    if (!parsed) {
      this.#summary.voidSummary();
      this.#sink(COL.traceRaw).bytes(trace);
      this.#sink(COL.traceResourceSpans).u(0);
      this.#baseLo.push(0);
      this.#baseHi.push(0);
      return;
    }
    this.#sink(COL.traceRaw).u(0);
    this.#emit(trace);
  }

  /** The row group's summary for the index (call after finish()); undefined when a trace or span is kept as bytes. */
  summary(): RowGroupSummary | undefined {
    const resources = Array.from({ length: this.#resources.count }, (_, id) => this.#resources.entry(id));
    return this.#summary.finish((id) => attributeColumnName(this.#keys.entry(id), id), resources, this.#sink(COL.spanName).view());
  }

  /** The row group's columns; the builder is spent afterwards. */
  finish(): ColumnBytes[] {
    this.#writeTraceStarts();
    const dicts: [string, BytesDict][] = [[COL.dictResource, this.#resources], [COL.dictScope, this.#scopes], [COL.dictKey, this.#keys]];
    for (const [name, dict] of dicts) dict.writeTo(this.#sink(name));
    this.#names.writeTo(this.#sink(COL.spanName));
    this.#states.writeTo(this.#sink(COL.spanState));
    this.#messages.writeTo(this.#sink(COL.spanStatusMessage));
    this.#shapes.writeTo(this.#sink(COL.spanAttrKeys));
    this.#eventRests.writeTo(this.#sink(COL.spanEventRest));
    const out: ColumnBytes[] = [];
    for (const name of Object.values(COL)) out.push({ name, bytes: this.#sink(name).view() });
    this.#attrColumns.forEach((column, id) => {
      const sink = new ByteSink(column.byteLength + 4096);
      column.writeTo(sink);
      out.push({ name: attributeColumnName(this.#keys.entry(id), id), bytes: sink.view() });
    });
    return out;
  }

  #writeTraceStarts(): void {
    const sink = this.#sink(COL.traceStart);
    let minLo = 0xffffffff;
    let minHi = 0xffffffff;
    for (let i = 0; i < this.#baseLo.length; i++) {
      if (less64(this.#baseLo[i], this.#baseHi[i], minLo, minHi)) {
        minLo = this.#baseLo[i];
        minHi = this.#baseHi[i];
      }
    }
    sink.u64(minLo, minHi);
    for (let i = 0; i < this.#baseLo.length; i++) {
      sub64(this.#baseLo[i], this.#baseHi[i], minLo, minHi);
      sink.u64(time.lo, time.hi);
    }
  }

  #emit(buf: Uint8Array): void {
    const t = this.#trace;
    const s = (name: string) => this.#sink(name);
    s(COL.traceResourceSpans).u(t.rsResource.length);
    for (let i = 0; i < t.rsResource.length; i++) {
      s(COL.rsResource).u(t.rsResource[i]);
      s(COL.rsScopeSpans).u(t.rsScopes[i]);
    }
    for (let i = 0; i < t.ssScope.length; i++) {
      s(COL.ssScope).u(t.ssScope[i]);
      s(COL.ssSpans).u(t.ssSpans[i]);
    }
    this.#setTraceBase();
    for (let i = 0; i < t.spanCount; i++) {
      const span = t.spans[i];
      if (span.raw) this.#emitRawSpan(buf, span);
      else this.#emitSpan(buf, span);
    }
  }

  /** The trace's base time: its earliest span start (0 when no span is modelled). */
  #setTraceBase(): void {
    const t = this.#trace;
    let lo = 0xffffffff;
    let hi = 0xffffffff;
    let modelled = 0;
    for (let i = 0; i < t.spanCount; i++) {
      const span = t.spans[i];
      if (span.raw) continue;
      modelled++;
      if (less64(span.startLo, span.startHi, lo, hi)) {
        lo = span.startLo;
        hi = span.startHi;
      }
    }
    if (modelled === 0) lo = hi = 0;
    this.#baseLo.push(lo);
    this.#baseHi.push(hi);
  }

  /** Defaults in every column, the span's bytes in span.rest (flagged). */
  #emitRawSpan(buf: Uint8Array, span: ParsedSpan): void {
    const c = this.#cols;
    this.#summary.voidSummary();
    c.ids.raw(ZERO_ID);
    for (const sink of [c.parents, c.kinds, c.starts, c.durations, c.flags, c.dropped, c.dropped, c.dropped, c.statuses, c.events, c.links]) sink.u(0);
    this.#names.add(EMPTY, 0, 0);
    this.#states.add(EMPTY, 0, 0);
    this.#shapes.add(EMPTY, 0, 0);
    c.rest.u((span.end - span.start) * 2 + 1);
    c.rest.rawRange(buf, span.start, span.end);
  }

  #emitSpan(buf: Uint8Array, span: ParsedSpan): void {
    const c = this.#cols;
    c.ids.rawRange(buf, span.idAt, span.idAt + 8);
    if (span.parentAt < 0 || span.parentLen === 0) c.parents.u(0);
    else {
      const parent = span.parentLen === 8 ? this.#trace.spanIndex(buf, span.parentAt) : -1;
      if (parent >= 0) c.parents.u(parent + 2);
      else {
        c.parents.u(1);
        c.external.bytesRange(buf, span.parentAt, span.parentAt + span.parentLen);
      }
    }
    this.#names.add(buf, span.nameAt, span.nameAt + span.nameLen);
    c.kinds.u(span.kind);
    sub64(span.startLo, span.startHi, this.#baseLo[this.#baseLo.length - 1], this.#baseHi[this.#baseHi.length - 1]);
    c.starts.u64(time.lo, time.hi);
    sub64(span.endLo, span.endHi, span.startLo, span.startHi);
    c.durations.z64(time.lo, time.hi);
    this.#summary.span(span.kind, span.status, time, Math.max(span.startHi, span.endHi));
    this.#states.add(buf, span.stateAt, span.stateAt + span.stateLen);
    c.flags.u(span.flags);
    c.dropped.u(span.droppedAttributes);
    c.dropped.u(span.droppedEvents);
    c.dropped.u(span.droppedLinks);
    c.statuses.u(span.status);
    if (span.status !== 0) this.#messages.add(buf, span.messageAt, span.messageAt + span.messageLen);
    this.#emitAttributes(buf, span);
    c.events.u(span.eventRests.length);
    for (let e = 0; e < span.eventRests.length; e++) {
      sub64(span.eventTimes[2 * e], span.eventTimes[2 * e + 1], span.startLo, span.startHi);
      c.events.z64(time.lo, time.hi);
      const rest = span.eventRests[e];
      this.#eventRests.add(rest, 0, rest.length);
    }
    c.links.u(span.links.length);
    for (const link of span.links) c.links.bytes(link);
    let restBytes = 0;
    for (const part of span.rest) restBytes += part.length;
    c.rest.u(restBytes * 2);
    for (const part of span.rest) c.rest.raw(part);
  }

  #emitAttributes(buf: Uint8Array, span: ParsedSpan): void {
    const a = this.#trace.attrs;
    const keys = this.#shape;
    keys.reset();
    let previous = 0;
    for (let j = span.attrFirst; j < span.attrFirst + span.attrCount; j++) {
      const keyAt = a.keyAt[j];
      const keyEnd = keyAt + a.keyLen[j];
      const guess = this.#nextKey[previous];
      let id: number;
      if (guess !== undefined && this.#keys.is(guess, buf, keyAt, keyEnd)) id = guess;
      else {
        id = this.#keys.id(buf, keyAt, keyEnd);
        this.#nextKey[previous] = id;
      }
      previous = id + 1;
      keys.u(id);
      const column = (this.#attrColumns[id] ??= new AttributeColumnBuilder());
      const tag = a.tag[j];
      const at = a.valueAt[j];
      this.#summary.tag(id, tag);
      switch (tag) {
        case VALUE_STRING: column.addString(buf, at, at + a.valueLen[j]); break;
        case VALUE_BOOL: column.addBool(at === 1); break;
        case VALUE_INT:
          readVarint64(buf, at, varint);
          column.addInt(varint.lo, varint.hi);
          this.#summary.int(id, varint.lo, varint.hi);
          break;
        case VALUE_DOUBLE:
          column.addDouble(buf, at);
          this.#summary.double(id, buf, at);
          break;
        case VALUE_BYTES: case VALUE_ARRAY: case VALUE_KVLIST: column.addBlob(tag, buf, at, at + a.valueLen[j]); break;
        default: column.addTag(tag);
      }
    }
    this.#shapes.add(keys.buf, 0, keys.pos);
  }
}
