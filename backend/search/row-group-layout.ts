import { ByteSource } from '../block/byte-source.ts';
import { COL } from '../block/column-names.ts';
import type { RowGroupColumns } from '../block/row-group-reader.ts';
import { column } from '../block/row-group-cursor.ts';
import { add64, time } from '../block/span-time.ts';
import { TracelakeError } from '../../pipeline/errors.ts';

/** Columns SpanLayout reads. */
export const LAYOUT_COLUMNS = [COL.traceRaw, COL.traceResourceSpans, COL.rsResource, COL.rsScopeSpans, COL.ssScope, COL.ssSpans, COL.spanRest] as const;

/**
 * Which span rows belong to which trace and resource in a tl2 row group, and which traces / spans are kept
 * as bytes (their columns hold defaults, so only the engine can judge them).
 */
export interface SpanLayout {
  readonly traces: number;
  readonly spans: number;
  /** Trace t owns span rows [spanStart[t], spanStart[t + 1]). */
  readonly spanStart: Int32Array;
  /** 1 for a trace kept whole as bytes (`trace.raw`). */
  readonly rawTrace: Uint8Array;
  /** Per span row, its id in `dict.resource` and in `dict.scope`. */
  readonly spanResource: Int32Array;
  readonly spanScope: Int32Array;
  /** Span rows kept as bytes (`span.rest` flagged), in order. */
  readonly rawSpans: readonly number[];
}

export function spanLayout(columns: RowGroupColumns, traces: number): SpanLayout {
  const raw = new ByteSource(column(columns, COL.traceRaw));
  const rsCounts = new ByteSource(column(columns, COL.traceResourceSpans));
  const rsResource = new ByteSource(column(columns, COL.rsResource));
  const rsScopes = new ByteSource(column(columns, COL.rsScopeSpans));
  const ssScope = new ByteSource(column(columns, COL.ssScope));
  const ssSpans = new ByteSource(column(columns, COL.ssSpans));
  const spanStart = new Int32Array(traces + 1);
  const rawTrace = new Uint8Array(traces);
  let resources: Int32Array = new Int32Array(1024);
  let scopes: Int32Array = new Int32Array(1024);
  let n = 0;
  // Every span writes at least a byte to span.rest: a count beyond that is damage, not a reason to allocate.
  const rest = column(columns, COL.spanRest);
  for (let t = 0; t < traces; t++) {
    const rawLength = raw.u();
    if (rawLength > 0) {
      raw.take(rawLength);
      rawTrace[t] = 1;
    }
    for (let rs = rsCounts.u(); rs > 0; rs--) {
      const resource = rsResource.u();
      for (let ss = rsScopes.u(); ss > 0; ss--) {
        const scope = ssScope.u();
        const k = ssSpans.u();
        if (n + k > rest.length) throw new TracelakeError('ss.spans counts more spans than span.rest holds');
        if (n + k > resources.length) {
          resources = grown(resources, n + k);
          scopes = grown(scopes, n + k);
        }
        for (const end = n + k; n < end; n++) {
          resources[n] = resource;
          scopes[n] = scope;
        }
      }
    }
    spanStart[t + 1] = n;
  }
  return {
    traces, spans: n, spanStart, rawTrace, spanResource: resources.subarray(0, n), spanScope: scopes.subarray(0, n), rawSpans: rawSpanRows(rest, n),
  };
}

function grown(a: Int32Array, atLeast: number): Int32Array {
  const out = new Int32Array(Math.max(atLeast, a.length * 2));
  out.set(a);
  return out;
}

function rawSpanRows(rest: Uint8Array, spans: number): number[] {
  // A span without unknown fields writes a single 0: the common case needs no walk.
  if (rest.length === spans) return [];
  const src = new ByteSource(rest);
  const out: number[] = [];
  for (let s = 0; s < spans; s++) {
    const mark = src.u();
    if (mark % 2 === 1) out.push(s);
    src.take(Math.floor(mark / 2));
  }
  if (!src.done()) throw new TracelakeError('span.rest holds more than its spans');
  return out;
}

const bases = new WeakMap<RowGroupColumns, [Uint32Array, Uint32Array]>();

/**
 * Per trace its base time (group minimum + offset, wrapping as the cursor adds), as 32-bit halves; decoded
 * once per row group (the duration test and the span models both need it).
 */
export function traceBases(columns: RowGroupColumns, traces: number): [Uint32Array, Uint32Array] {
  let known = bases.get(columns);
  if (known === undefined) bases.set(columns, (known = decodeBases(column(columns, COL.traceStart), traces)));
  return known;
}

function decodeBases(bytes: Uint8Array, traces: number): [Uint32Array, Uint32Array] {
  const src = new ByteSource(bytes);
  src.u64();
  const minLo = src.lo;
  const minHi = src.hi;
  const lo = new Uint32Array(traces);
  const hi = new Uint32Array(traces);
  for (let t = 0; t < traces; t++) {
    src.u64();
    add64(minLo, minHi, src.lo, src.hi);
    lo[t] = time.lo;
    hi[t] = time.hi;
  }
  return [lo, hi];
}
