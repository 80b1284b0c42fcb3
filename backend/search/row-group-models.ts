import { ByteSource } from '../block/byte-source.ts';
import { readDict } from '../block/bytes-dict.ts';
import { attributeColumnName, COL } from '../block/column-names.ts';
import { column } from '../block/row-group-cursor.ts';
import type { RowGroupColumns } from '../block/row-group-reader.ts';
import { TracelakeError } from '../../pipeline/errors.ts';
import { ProtoReader } from '../../pipeline/otlp/proto-reader.ts';
import { readEvent, readLink } from '../traceql/event-link-reader.ts';
import { linkedTrace } from '../traceql/span-model.ts';
import type { SpanEvent, SpanLink, TraceBounds, TraceModel } from '../traceql/span-model.ts';
import { ColumnSpan, NO_CHILDREN, type SpanColumns, type TraceRows } from './column-span.ts';
import type { AttributeValue } from '../traceql/value.ts';
import { columnValues } from './column-tests.ts';
import { firstOccurrences } from './key-occurrences.ts';
import { resourceAttributes, scopeInfo, type ScopeInfo } from './dict-entries.ts';
import { traceBases, type SpanLayout } from './row-group-layout.ts';
import { SpanRows } from './span-rows.ts';
import { utf8 } from './string-rows.ts';

const U64_MAX = 2n ** 64n - 1n;
const ZERO_HEX = /^0*$/;
// Shared by the spans without any: nothing downstream changes a span's lists.
const NO_EVENTS: SpanEvent[] = [];
const NO_LINKS: SpanLink[] = [];

/** Largest |value| (2^52) whose sums of two stay exact in a double. */
const EXACT_SUM = 2 ** 52;

/**
 * The engine's span model of a row group's traces read straight from the columns, equal to
 * `traceModel(cursor.next())` (the rebuilt TracesData decoded) without writing and parsing protobuf: spans
 * are ColumnSpans, decoding a field (and its column) only when it is read, so a search pays for the fields
 * its filter and its results use. `model(t)` is undefined for a trace it leaves to that slower path: kept as
 * bytes, with a span kept as bytes, or with a kind or status code beyond int32.
 */
export class RowGroupModels implements SpanColumns {
  readonly #columns: RowGroupColumns;
  readonly #layout: SpanLayout;
  readonly #rows: SpanRows;
  readonly #traceIds: Uint8Array;
  readonly #spanIdBytes: Buffer;
  #spanHex: string | undefined;
  #traceHex: string | undefined;
  readonly #baseLo: Uint32Array;
  readonly #baseHi: Uint32Array;
  readonly #slow: Uint8Array;
  #keys: Uint8Array[] | undefined;
  #keyIds: Map<string, number[]> | undefined;
  readonly #keyNames: (string | undefined)[] = [];
  readonly #keyValues: (AttributeValue[] | undefined)[] = [];
  readonly #resources: (Map<string, AttributeValue> | undefined)[] = [];
  readonly #scopes: (ScopeInfo | undefined)[] = [];
  readonly #eventParts = new Map<Uint8Array, SpanEvent>();
  #resourceDict: Uint8Array[] | undefined;
  #scopeDict: Uint8Array[] | undefined;

  constructor(columns: RowGroupColumns, layout: SpanLayout) {
    this.#columns = columns;
    this.#layout = layout;
    this.#traceIds = column(columns, COL.traceId);
    const spanIds = column(columns, COL.spanId);
    this.#spanIdBytes = Buffer.from(spanIds.buffer, spanIds.byteOffset, spanIds.byteLength);
    this.#rows = new SpanRows(columns, layout.spans, () => this.#keyDict().length);
    [this.#baseLo, this.#baseHi] = traceBases(columns, layout.traces);
    this.#slow = this.#slowTraces();
  }

  model(t: number): TraceModel | undefined {
    if (this.#slow[t] === 1) return undefined;
    const first = this.#layout.spanStart[t];
    const n = this.#layout.spanStart[t + 1] - first;
    this.#traceHex ??= hex(this.#traceIds, 0);
    const traceId = this.#traceHex.substring(t * 32, t * 32 + 32);
    const at: TraceRows = { traceId, trace: t, first };
    const spans: ColumnSpan[] = new Array(n);
    for (let i = 0; i < n; i++) spans[i] = new ColumnSpan(this, at, i);
    // The column holds the index of the first span with the parent's ID: the span buildTrace links to.
    const parents = this.#rows.parent;
    let root = -1;
    for (let i = 0; i < n; i++) {
      const p = parents[first + i];
      if (p >= n) throw new TracelakeError('span.parent index out of range');
      // No parent span ID (none, or all zeros): a root, as the engine reads it.
      if (p === -1 || (p >= 0 ? this.#zeroId(first + p) : this.parentSpanId(first + i, first) === '')) {
        if (root < 0) root = i;
        continue;
      }
      if (p < 0 || p === i) continue;
      const parent = spans[p];
      spans[i].parent = parent;
      if (parent.children === NO_CHILDREN) parent.children = [spans[i]];
      else parent.children.push(spans[i]);
    }
    return linkedTrace(n > 0 ? traceId : '', spans, { bounds: this.#bounds(t, first, first + n), root });
  }

  /** The trace's first and last nanosecond from the double columns, when no span needs 64-bit care. */
  #bounds(t: number, first: number, end: number): TraceBounds | undefined {
    if (end === first || this.#baseHi[t] >= 0x80000000) return undefined;
    const { start, duration } = this.#rows;
    let lo = Infinity;
    let hi = -Infinity;
    for (let s = first; s < end; s++) {
      const st = start[s];
      const d = duration[s];
      // NaN (wide) fails these tests too.
      if (!(st < EXACT_SUM && d < EXACT_SUM && d > -EXACT_SUM && st + d >= 0)) return undefined;
      if (st < lo) lo = st;
      if (st + d > hi) hi = st + d;
    }
    const base = this.#base(t);
    return { startUnixNano: base + BigInt(lo), endUnixNano: base + BigInt(hi) };
  }

  #base(t: number): bigint {
    return (BigInt(this.#baseHi[t]) << 32n) + BigInt(this.#baseLo[t]);
  }

  /** Span row s's ID in hex: a slice of the whole column's hex, made once per row group (one native call). */
  spanId(s: number): string {
    this.#spanHex ??= this.#spanIdBytes.toString('hex');
    return this.#spanHex.substring(s * 16, s * 16 + 16);
  }

  parentSpanId(s: number, first: number): string {
    const p = this.#rows.parent[s];
    if (p === -1) return '';
    if (p >= 0) return this.#zeroId(first + p) ? '' : this.spanId(first + p);
    const id = hex(this.#rows.externalParents.get(s)!, 0);
    return ZERO_HEX.test(id) ? '' : id;
  }

  name(s: number): string {
    return this.#rows.names.text(s);
  }

  kind(s: number): number {
    return this.#rows.kind[s];
  }

  statusCode(s: number): number {
    const status = this.#rows.status[s];
    return status === 0 ? 0 : status - 1;
  }

  statusMessage(s: number): string {
    const message = this.#rows.messageRow[s];
    return message < 0 ? '' : this.#rows.messages.text(message);
  }

  startUnixNano(s: number, t: number): bigint {
    const start = this.#base(t) + wide(this.#rows.start[s], this.#rows.wide.start, s);
    return start > U64_MAX ? BigInt.asUintN(64, start) : start;
  }

  endUnixNano(s: number, t: number): bigint {
    const end = this.startUnixNano(s, t) + wide(this.#rows.duration[s], this.#rows.wide.duration, s);
    return end < 0n || end > U64_MAX ? BigInt.asUintN(64, end) : end;
  }

  durationNanos(s: number, t: number): number {
    const st = this.#rows.start[s];
    const d = this.#rows.duration[s];
    // Below 2^63 + 2^54 nothing wraps: end − start is the stored duration.
    if (this.#baseHi[t] < 0x80000000 && st + d >= 0) return d;
    return Number(this.endUnixNano(s, t) - this.startUnixNano(s, t));
  }

  attribute(s: number, key: string): AttributeValue | undefined {
    const ids = this.#keyIdsOf(key);
    if (ids === undefined) return undefined;
    if (ids.length === 1) {
      const o = firstOccurrences(this.#columns, this.#layout.spans, ids[0])[s];
      return o < 0 ? undefined : this.#value(ids[0], o);
    }
    const { start, key: keys, occurrence } = this.#rows.attributes;
    for (let o = start[s]; o < start[s + 1]; o++) {
      const k = keys[o];
      if (ids.includes(k)) return this.#value(k, occurrence[o]);
    }
    return undefined;
  }

  attributes(s: number): Map<string, AttributeValue> {
    const out = new Map<string, AttributeValue>();
    const { start, key: keys, occurrence } = this.#rows.attributes;
    for (let o = start[s]; o < start[s + 1]; o++) {
      const k = keys[o];
      const key = this.#keyName(k);
      if (!out.has(key)) out.set(key, this.#value(k, occurrence[o]));
    }
    return out;
  }

  resource(s: number): ReadonlyMap<string, AttributeValue> {
    const id = this.#layout.spanResource[s];
    return (this.#resources[id] ??= resourceAttributes(dictEntry(this.#resourceDict ??= this.#dict(COL.dictResource), id)));
  }

  scope(s: number): ScopeInfo {
    const id = this.#layout.spanScope[s];
    return (this.#scopes[id] ??= scopeInfo(dictEntry(this.#scopeDict ??= this.#dict(COL.dictScope), id)));
  }

  events(s: number, start: bigint): SpanEvent[] {
    const events = this.#rows.events;
    if (events.start[s] === events.start[s + 1]) return NO_EVENTS;
    const out: SpanEvent[] = [];
    for (let e = events.start[s]; e < events.start[s + 1]; e++) {
      const rest = events.rests.bytes(e);
      let parts = this.#eventParts.get(rest);
      if (parts === undefined) this.#eventParts.set(rest, (parts = readEvent(new ProtoReader(rest), rest.length)));
      let at = start + wide(events.delta[e], this.#rows.wide.eventDelta, e);
      if (at < 0n || at > U64_MAX) at = BigInt.asUintN(64, at);
      out.push({ name: parts.name, timeUnixNano: at, attributes: parts.attributes });
    }
    return out;
  }

  links(s: number): SpanLink[] {
    const { start, links } = this.#rows.links;
    if (start[s] === start[s + 1]) return NO_LINKS;
    const out: SpanLink[] = [];
    for (let l = start[s]; l < start[s + 1]; l++) out.push(readLink(new ProtoReader(links[l]), links[l].length));
    return out;
  }

  #zeroId(s: number): boolean {
    const ids = this.#spanIdBytes;
    for (let i = s * 8; i < s * 8 + 8; i++) if (ids[i] !== 0) return false;
    return true;
  }

  #keyDict(): Uint8Array[] {
    return (this.#keys ??= readDict(new ByteSource(column(this.#columns, COL.dictKey))));
  }

  #keyName(k: number): string {
    return (this.#keyNames[k] ??= utf8(this.#keyDict()[k]));
  }

  /** The key ids that read as `key` (distinct byte strings can read as one string when not valid UTF-8). */
  #keyIdsOf(key: string): number[] | undefined {
    if (this.#keyIds === undefined) {
      this.#keyIds = new Map();
      for (let k = 0; k < this.#keyDict().length; k++) {
        const name = this.#keyName(k);
        const ids = this.#keyIds.get(name);
        if (ids === undefined) this.#keyIds.set(name, [k]);
        else ids.push(k);
      }
    }
    return this.#keyIds.get(key);
  }

  #value(k: number, occurrence: number): AttributeValue {
    const values = (this.#keyValues[k] ??= columnValues(this.#columns, attributeColumnName(this.#keyDict()[k], k)));
    return values[occurrence];
  }

  #dict(name: string): Uint8Array[] {
    return readDict(new ByteSource(column(this.#columns, name)));
  }

  /** Traces kept as bytes, with a span kept as bytes or with a value the shortcut does not reproduce. */
  #slowTraces(): Uint8Array {
    const { spanStart, rawTrace, rawSpans, traces } = this.#layout;
    const slow = rawTrace.slice();
    const traceOf = (s: number): number => {
      let lo = 0;
      let hi = traces - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (spanStart[mid] <= s) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (const s of rawSpans) slow[traceOf(s)] = 1;
    for (const s of this.#rows.unsafe) slow[traceOf(s)] = 1;
    return slow;
  }
}

function wide(value: number, wide: ReadonlyMap<number, bigint>, row: number): bigint {
  return Number.isNaN(value) ? wide.get(row)! : BigInt(value);
}

function hex(bytes: Uint8Array, at: number, length = bytes.length - at): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + at, length).toString('hex');
}

function dictEntry(dict: readonly Uint8Array[], id: number): Uint8Array {
  const entry = dict[id];
  if (entry === undefined) throw new TracelakeError(`dictionary id ${id} out of range`);
  return entry;
}
