import { ByteSource } from '../block/byte-source.ts';
import { COL } from '../block/column-names.ts';
import { column } from '../block/row-group-cursor.ts';
import type { RowGroupColumns } from '../block/row-group-reader.ts';
import { TracelakeError } from '../../pipeline/errors.ts';
import { exact, spanTimes } from './span-times.ts';
import { StringRows } from './string-rows.ts';

/** Span s's attributes are occurrences [start[s], start[s + 1]): key id, index in that key's column. */
export interface AttributeRows {
  readonly start: Int32Array;
  readonly key: Int32Array;
  readonly occurrence: Int32Array;
}

/** Span s's events are [start[s], start[s + 1]): time − span start (NaN = see SpanRows.wide), other fields. */
export interface EventRows {
  readonly start: Int32Array;
  readonly delta: Float64Array;
  readonly rests: StringRows;
}

/** Span s's links are links[start[s] .. start[s + 1]). */
export interface LinkRows {
  readonly start: Int32Array;
  readonly links: readonly Uint8Array[];
}

/**
 * The per-span columns of a row group decoded into arrays, for random access by span row (the columns are
 * varint streams, readable only in order). Parents, kinds, statuses and times are decoded at once (every
 * span model needs them); names, status messages, attributes, events and links on first use, so a search
 * whose results need none of them does not decode (or load) their columns. Times that do not fit a double
 * exactly are kept as BigInt in `wide`; rows whose kind or status code exceed int32 are listed in `unsafe`.
 */
export class SpanRows {
  /** -1 no parent, -2 external (bytes in externalParents), else the parent's index within the trace. */
  readonly parent: Int32Array;
  readonly externalParents = new Map<number, Uint8Array>();
  readonly kind: Int32Array;
  /** Start − trace base, end − start (ns); NaN = see `wide`. */
  readonly start: Float64Array;
  readonly duration: Float64Array;
  /** Exact values of the NaN entries of start, duration and event deltas, by row. */
  readonly wide: { readonly start: ReadonlyMap<number, bigint>; readonly duration: ReadonlyMap<number, bigint>; readonly eventDelta: Map<number, bigint> };
  /** 0 no status field, else 1 + code; the row of its message in `messages`, or -1. */
  readonly status: Int32Array;
  readonly messageRow: Int32Array;
  readonly unsafe: number[] = [];
  readonly #columns: RowGroupColumns;
  readonly #spans: number;
  readonly #keyCount: () => number;
  readonly #messageCount: number;
  #names: StringRows | undefined;
  #messages: StringRows | undefined;
  #attributes: AttributeRows | undefined;
  #events: EventRows | undefined;
  #links: LinkRows | undefined;

  /** `keyCount`: the size of the group's key dictionary, asked only when attributes are read. */
  constructor(columns: RowGroupColumns, spans: number, keyCount: () => number) {
    this.#columns = columns;
    this.#spans = spans;
    this.#keyCount = keyCount;
    this.parent = this.#parents(this.#src(COL.spanParent), this.#src(COL.spanParentExternal), spans);
    const kinds = this.#src(COL.spanKind);
    const statuses = this.#src(COL.spanStatus);
    this.kind = new Int32Array(spans);
    this.status = new Int32Array(spans);
    this.messageRow = new Int32Array(spans);
    let messages = 0;
    for (let s = 0; s < spans; s++) {
      const kind = kinds.u();
      const status = statuses.u();
      if (kind > 0x7fffffff || status > 0x80000000) this.unsafe.push(s);
      this.kind[s] = kind;
      this.status[s] = status;
      this.messageRow[s] = status === 0 ? -1 : messages++;
    }
    this.#messageCount = messages;
    const times = spanTimes(columns, spans);
    this.start = times.start;
    this.duration = times.duration;
    this.wide = { start: times.wide.start, duration: times.wide.duration, eventDelta: new Map() };
  }

  get names(): StringRows {
    return (this.#names ??= new StringRows(column(this.#columns, COL.spanName), this.#spans));
  }

  get messages(): StringRows {
    return (this.#messages ??= new StringRows(column(this.#columns, COL.spanStatusMessage), this.#messageCount));
  }

  get attributes(): AttributeRows {
    return (this.#attributes ??= attributeRows(column(this.#columns, COL.spanAttrKeys), this.#spans, this.#keyCount()));
  }

  get events(): EventRows {
    if (this.#events !== undefined) return this.#events;
    const events = this.#src(COL.spanEvents);
    const start = new Int32Array(this.#spans + 1);
    const deltas: number[] = [];
    for (let s = 0; s < this.#spans; s++) {
      for (let e = events.u(); e > 0; e--) {
        events.z64();
        deltas.push(exact(events, true, this.wide.eventDelta, deltas.length));
      }
      start[s + 1] = deltas.length;
    }
    const rests = new StringRows(column(this.#columns, COL.spanEventRest), deltas.length);
    return (this.#events = { start, delta: Float64Array.from(deltas), rests });
  }

  get links(): LinkRows {
    if (this.#links !== undefined) return this.#links;
    const src = this.#src(COL.spanLinks);
    const start = new Int32Array(this.#spans + 1);
    const links: Uint8Array[] = [];
    for (let s = 0; s < this.#spans; s++) {
      for (let l = src.u(); l > 0; l--) links.push(src.bytes());
      start[s + 1] = links.length;
    }
    return (this.#links = { start, links });
  }

  #src(name: string): ByteSource {
    return new ByteSource(column(this.#columns, name));
  }

  #parents(parents: ByteSource, external: ByteSource, spans: number): Int32Array {
    const out = new Int32Array(spans);
    for (let s = 0; s < spans; s++) {
      const p = parents.u();
      if (p === 1) this.externalParents.set(s, external.bytes());
      out[s] = p === 0 ? -1 : p === 1 ? -2 : p - 2;
    }
    return out;
  }
}

/** Per span the range of its attribute occurrences, and per occurrence its key and index in the key's column. */
function attributeRows(shapesColumn: Uint8Array, spans: number, keyCount: number): AttributeRows {
  const shapes = new StringRows(shapesColumn, spans);
  const known = new Array<Int32Array | undefined>(shapes.distinct);
  const seen = new Int32Array(keyCount);
  const start = new Int32Array(spans + 1);
  let keys: Int32Array = new Int32Array(spans * 4 + 16);
  let occurrences: Int32Array = new Int32Array(keys.length);
  let n = 0;
  for (let s = 0; s < spans; s++) {
    const shape = shapes.id(s);
    const ids = (known[shape] ??= shapeKeys(shapes.bytes(s), keyCount));
    if (n + ids.length > keys.length) {
      keys = grown(keys, n + ids.length);
      occurrences = grown(occurrences, keys.length);
    }
    for (let i = 0; i < ids.length; i++) {
      keys[n] = ids[i];
      occurrences[n++] = seen[ids[i]]++;
    }
    start[s + 1] = n;
  }
  return { start, key: keys, occurrence: occurrences };
}

function shapeKeys(shape: Uint8Array, keyCount: number): Int32Array {
  const ids: number[] = [];
  const src = new ByteSource(shape);
  while (!src.done()) {
    const id = src.u();
    if (id >= keyCount) throw new TracelakeError(`attribute key id ${id} out of range`);
    ids.push(id);
  }
  return Int32Array.from(ids);
}

function grown(a: Int32Array, atLeast: number): Int32Array {
  const out = new Int32Array(Math.max(atLeast, a.length * 2));
  out.set(a);
  return out;
}
