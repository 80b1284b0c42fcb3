import { ProtoReader, WIRE_LEN } from '../../pipeline/otlp/proto-reader.ts';
import { AttributeTable } from './attribute-table.ts';
import { ByteSink } from './byte-sink.ts';
import type { BytesDict } from './bytes-dict.ts';
import { parseSpan } from './parse-span.ts';
import { ParsedSpan } from './parsed-span.ts';

/**
 * One trace (TracesData) taken apart for the columns: ResourceSpans and ScopeSpans as ids of their other
 * fields in the row group's dictionaries, with their counts, and the spans in order. Reused trace after trace.
 */
export class TraceParser {
  readonly attrs = new AttributeTable();
  /** Pooled; the first `spanCount` are this trace's. */
  readonly spans: ParsedSpan[] = [];
  spanCount = 0;
  readonly rsResource: number[] = [];
  readonly rsScopes: number[] = [];
  readonly ssScope: number[] = [];
  readonly ssSpans: number[] = [];
  readonly #resources: BytesDict;
  readonly #scopes: BytesDict;
  readonly #fields = new ByteSink(1024);
  readonly #scopeFields = new ByteSink(256);
  // Span ID → index, for traces too big for a linear search of their parents.
  readonly #byId = new Map<number, number>();
  #byIdReady = false;

  constructor(resources: BytesDict, scopes: BytesDict) {
    this.#resources = resources;
    this.#scopes = scopes;
  }

  /** Parses `buf` (the trace `traceId`); false when it is not a TracesData to model. Throws on malformed bytes. */
  parse(traceId: Uint8Array, buf: Uint8Array): boolean {
    this.attrs.count = 0;
    this.spanCount = 0;
    this.#byIdReady = false;
    this.rsResource.length = this.rsScopes.length = this.ssScope.length = this.ssSpans.length = 0;
    const r = new ProtoReader(buf);
    while (!r.done()) {
      if (r.tag() !== (1 << 3 | WIRE_LEN)) return false;
      const end = r.lengthEnd();
      const outer = r.enter(end);
      const fields = this.#fields;
      fields.reset();
      let scopes = 0;
      while (!r.done()) {
        const at = r.pos;
        const tag = r.tag();
        if (tag === (2 << 3 | WIRE_LEN)) {
          const ssEnd = r.lengthEnd();
          this.#parseScopeSpans(r, ssEnd, traceId);
          scopes++;
        } else {
          r.skip(tag & 7);
          fields.rawRange(buf, at, r.pos);
        }
      }
      r.leave(outer);
      this.rsResource.push(this.#resources.id(fields.buf, 0, fields.pos));
      this.rsScopes.push(scopes);
    }
    return true;
  }

  #parseScopeSpans(r: ProtoReader, end: number, traceId: Uint8Array): void {
    const buf = r.buf;
    const outer = r.enter(end);
    const fields = this.#scopeFields;
    fields.reset();
    let spans = 0;
    while (!r.done()) {
      const at = r.pos;
      const tag = r.tag();
      if (tag === (2 << 3 | WIRE_LEN)) {
        const spanEnd = r.lengthEnd();
        this.#parseSpan(r, spanEnd, traceId);
        r.pos = spanEnd;
        r.limit = end;
        spans++;
      } else {
        r.skip(tag & 7);
        fields.rawRange(buf, at, r.pos);
      }
    }
    r.leave(outer);
    this.ssScope.push(this.#scopes.id(fields.buf, 0, fields.pos));
    this.ssSpans.push(spans);
  }

  #parseSpan(r: ProtoReader, end: number, traceId: Uint8Array): void {
    const start = r.pos;
    const i = this.spanCount++;
    const span = (this.spans[i] ??= new ParsedSpan());
    span.reset(start, end);
    const attrsBefore = this.attrs.count;
    try {
      parseSpan(r, traceId, span, this.attrs);
    } catch {
      span.reset(start, end);
      span.raw = true;
      this.attrs.count = attrsBefore;
    }
  }

  /** Index in the trace of the modelled span whose ID is the 8 bytes at `buf[at]`, or -1. */
  spanIndex(buf: Uint8Array, at: number): number {
    const n = this.spanCount;
    if (n > 32) return this.#spanIndexByMap(buf, at);
    for (let i = 0; i < n; i++) {
      const span = this.spans[i];
      if (span.raw) continue;
      const idAt = span.idAt;
      let same = true;
      for (let k = 0; k < 8; k++) {
        if (buf[idAt + k] !== buf[at + k]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
    return -1;
  }

  #spanIndexByMap(buf: Uint8Array, at: number): number {
    const byId = this.#byId;
    if (!this.#byIdReady) {
      byId.clear();
      for (let i = this.spanCount - 1; i >= 0; i--) {
        const span = this.spans[i];
        if (!span.raw) byId.set(idKey(buf, span.idAt), i);
      }
      this.#byIdReady = true;
    }
    const i = byId.get(idKey(buf, at));
    if (i === undefined) return -1;
    const idAt = this.spans[i].idAt;
    for (let k = 0; k < 8; k++) if (buf[idAt + k] !== buf[at + k]) return -1; // a 53-bit key collision
    return i;
  }
}

/** A span ID folded into 53 bits, as a Map key: every byte counts (IDs may differ in any of them only). */
function idKey(buf: Uint8Array, at: number): number {
  const lo = buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
  const hi = buf[at + 4] | (buf[at + 5] << 8) | (buf[at + 6] << 16) | (buf[at + 7] << 24);
  return ((lo ^ hi) >>> 0) + (hi >>> 11) * 0x100000000;
}
