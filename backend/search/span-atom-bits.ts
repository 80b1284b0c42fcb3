import { ByteSource } from '../block/byte-source.ts';
import { readDict } from '../block/bytes-dict.ts';
import { COL } from '../block/column-names.ts';
import { column } from '../block/row-group-cursor.ts';
import type { RowGroupColumns } from '../block/row-group-reader.ts';
import { KINDS, NIL, STATUSES } from '../traceql/value.ts';
import type { AttributeValue } from '../traceql/value.ts';
import { columnValues, testAttributeColumn, testStrings } from './column-tests.ts';
import { resourceAttributes } from './dict-entries.ts';
import { firstOccurrences } from './key-occurrences.ts';
import { spanTimes } from './span-times.ts';
import { StringRows, utf8 } from './string-rows.ts';
import type { ScanField, ScanIntrinsic, SpanAtom } from './prefilter-plan.ts';
import { traceBases, type SpanLayout } from './row-group-layout.ts';

/** Columns an atom on `field` reads (besides the layout's). */
export function fieldColumns(field: ScanField): string[] {
  switch (field.kind) {
    case 'span': return [COL.dictKey, COL.spanAttrKeys, `span.attr:${field.name}`];
    case 'resource': return [COL.dictResource];
    case 'any': return [COL.dictKey, COL.spanAttrKeys, `span.attr:${field.name}`, COL.dictResource];
    case 'intrinsic': return INTRINSIC_COLUMNS[field.intrinsic];
  }
}

const INTRINSIC_COLUMNS: Readonly<Record<ScanIntrinsic, string[]>> = {
  name: [COL.spanName], status: [COL.spanStatus], statusMessage: [COL.spanStatus, COL.spanStatusMessage],
  kind: [COL.spanKind], duration: [COL.spanDuration, COL.spanStart, COL.traceStart],
};

/** Per span verdicts of SpanAtomBits: fails, only the engine can tell, passes. */
export const FAIL = 0;
export const UNSURE = 1;
export const PASS = 2;

/**
 * Per span row of one row group, whether the span passes the atom as the engine judges it: PASS / FAIL from
 * the columns, UNSURE when the engine alone can tell (a span kept as bytes, a duration that wrapped around
 * 64 bits, attribute keys without a named column). A span attribute is its first value of the key (the
 * engine's map keeps the first); an unscoped `.x` is the span's value when it has the key, else the resource's.
 */
export class SpanAtomBits {
  readonly #columns: RowGroupColumns;
  readonly #layout: SpanLayout;
  /** Span attributes with keys that are not UTF-8 have no named column: then every span may pass. */
  readonly #unnamedKeys: boolean;
  #keyIds: Map<string, number> | undefined;
  #resources: Map<string, AttributeValue>[] | undefined;

  constructor(columns: RowGroupColumns, layout: SpanLayout, unnamedKeys: boolean) {
    this.#columns = columns;
    this.#layout = layout;
    this.#unnamedKeys = unnamedKeys;
  }

  bits(atom: SpanAtom): Uint8Array {
    const { field, test } = atom;
    let out: Uint8Array;
    switch (field.kind) {
      case 'span': out = this.#spanAttribute(field.name, test).verdicts; break;
      case 'resource': out = this.#resourceAttribute(field.name, test); break;
      case 'any': {
        const { verdicts, present } = this.#spanAttribute(field.name, test);
        const resource = this.#resourceAttribute(field.name, test);
        for (let s = 0; s < verdicts.length; s++) if (present[s] === 0) verdicts[s] = resource[s];
        out = verdicts;
        break;
      }
      case 'intrinsic': out = this.#intrinsic(field.intrinsic, test); break;
    }
    for (const s of this.#layout.rawSpans) out[s] = UNSURE;
    return out;
  }

  /** Verdicts on the span's first value of the key (FAIL without one), and 1 where the span has the key. */
  #spanAttribute(name: string, test: (v: AttributeValue) => boolean): { verdicts: Uint8Array; present: Uint8Array } {
    const spans = this.#layout.spans;
    if (this.#unnamedKeys) return { verdicts: new Uint8Array(spans).fill(UNSURE), present: new Uint8Array(spans).fill(1) };
    const present = new Uint8Array(spans);
    const verdicts = new Uint8Array(spans);
    if (!this.#columns.has(`span.attr:${name}`)) return { verdicts, present };
    const occurrences = testAttributeColumn(columnValues(this.#columns, `span.attr:${name}`), test);
    const first = firstOccurrences(this.#columns, spans, this.#keyId(name));
    for (let s = 0; s < spans; s++) {
      const o = first[s];
      if (o < 0) continue;
      present[s] = 1;
      verdicts[s] = occurrences[o] === 1 ? PASS : FAIL;
    }
    return { verdicts, present };
  }

  #keyId(name: string): number {
    if (this.#keyIds === undefined) {
      this.#keyIds = new Map();
      readDict(new ByteSource(column(this.#columns, COL.dictKey))).forEach((key, id) => this.#keyIds!.set(utf8(key), id));
    }
    return this.#keyIds.get(name) ?? -1;
  }

  #resourceAttribute(name: string, test: (v: AttributeValue) => boolean): Uint8Array {
    this.#resources ??= readDict(new ByteSource(column(this.#columns, COL.dictResource))).map(resourceAttributes);
    const passes = this.#resources.map((attrs) => (test(attrs.get(name) ?? NIL) ? PASS : FAIL));
    const { spanResource } = this.#layout;
    const out = new Uint8Array(spanResource.length);
    for (let s = 0; s < out.length; s++) out[s] = passes[spanResource[s]] ?? UNSURE;
    return out;
  }

  #intrinsic(intrinsic: ScanIntrinsic, test: (v: AttributeValue) => boolean): Uint8Array {
    const spans = this.#layout.spans;
    const cols = this.#columns;
    switch (intrinsic) {
      case 'name': return verdicts(testStrings(new StringRows(column(cols, COL.spanName), spans), spans, (value) => test({ type: 'string', value })));
      case 'kind': return verdicts(smallInts(column(cols, COL.spanKind), spans, (k) => test({ type: 'kind', value: KINDS[k] ?? 'unspecified' })));
      case 'status': return verdicts(smallInts(column(cols, COL.spanStatus), spans, (v) => test({ type: 'status', value: STATUSES[v - 1] ?? 'unset' })));
      case 'statusMessage': return verdicts(statusMessages(cols, spans, test));
      case 'duration': return durations(cols, this.#layout, test);
    }
  }
}

/** 0/1 pass bits as FAIL / PASS verdicts, in place. */
function verdicts(bits: Uint8Array): Uint8Array {
  for (let i = 0; i < bits.length; i++) bits[i] *= PASS;
  return bits;
}

/** A varint column with few distinct values (kinds, statuses): each tested once. */
function smallInts(bytes: Uint8Array, spans: number, test: (v: number) => boolean): Uint8Array {
  const src = new ByteSource(bytes);
  const small = new Int8Array(64).fill(-1);
  const out = new Uint8Array(spans);
  for (let s = 0; s < spans; s++) {
    const v = src.u();
    if (v < 64) {
      let pass = small[v];
      if (pass < 0) pass = small[v] = test(v) ? 1 : 0;
      out[s] = pass;
    } else out[s] = test(v) ? 1 : 0;
  }
  return out;
}

function statusMessages(cols: RowGroupColumns, spans: number, test: (v: AttributeValue) => boolean): Uint8Array {
  const statuses = new ByteSource(column(cols, COL.spanStatus));
  const withStatus: number[] = [];
  for (let s = 0; s < spans; s++) if (statuses.u() !== 0) withStatus.push(s);
  const messages = testStrings(new StringRows(column(cols, COL.spanStatusMessage), withStatus.length), withStatus.length, (value) => test({ type: 'string', value }));
  // Without a status field the message is the empty string.
  const out = new Uint8Array(spans).fill(test({ type: 'string', value: '' }) ? 1 : 0);
  withStatus.forEach((s, i) => (out[s] = messages[i]));
  return out;
}

/**
 * The stored duration is end − start wrapped to 64 bits: the engine's (end − start of the rebuilt span) when
 * the span starts before 2^63 ns and the stored value is neither negative nor beyond 2^53; other spans are
 * left to the engine.
 */
function durations(cols: RowGroupColumns, layout: SpanLayout, test: (v: AttributeValue) => boolean): Uint8Array {
  const [, baseHi] = traceBases(cols, layout.traces);
  const { start, duration } = spanTimes(cols, layout.spans);
  const out = new Uint8Array(layout.spans);
  // One value object for every span: a test only reads it.
  const value = { type: 'duration' as const, value: 0 };
  for (let t = 0; t < layout.traces; t++) {
    // Base below 2^63 − 2^32 and (not NaN) start below 2^53: the span starts before 2^63.
    const early = baseHi[t] < 0x7fffffff;
    for (let s = layout.spanStart[t]; s < layout.spanStart[t + 1]; s++) {
      const d = duration[s];
      if (!early || !(start[s] >= 0) || !(d >= 0)) out[s] = UNSURE;
      else {
        value.value = d;
        out[s] = test(value) ? PASS : FAIL;
      }
    }
  }
  return out;
}
