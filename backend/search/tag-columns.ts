import { ByteSource } from '../block/byte-source.ts';
import { readDict } from '../block/bytes-dict.ts';
import { COL } from '../block/column-names.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import { column, type RowGroupColumns } from '../block/row-group-cursor.ts';
import { TracelakeError } from '../../pipeline/errors.ts';

/** String column modes (backend/block/string-column.ts). */
const DICT = 0;
const PLAIN = 1;

/**
 * The distinct values of a string column (its dictionary, or every value of a plain one), or with `dict`
 * the entries of a `dict.*` column: a tag answer needs each value once, not which rows hold it.
 */
export function distinctStrings(bytes: Uint8Array, dict = false): Uint8Array[] {
  const src = new ByteSource(bytes);
  if (dict) return readDict(src);
  if (src.done()) return [];
  const mode = src.byte();
  if (mode === DICT) return readDict(src);
  if (mode !== PLAIN) throw new TracelakeError(`unknown string column mode ${mode}`);
  const out: Uint8Array[] = [];
  while (!src.done()) out.push(src.bytes());
  return out;
}

/** The columns `usedDictIds` reads. */
export const DICT_USE_COLUMNS: readonly string[] = [COL.traceResourceSpans, COL.rsResource, COL.rsScopeSpans, COL.ssScope, COL.ssSpans];

/**
 * The `dict.resource` and `dict.scope` ids some span of the group has: an entry may be on no span (a
 * ResourceSpans or ScopeSpans without spans, a trace that turned out not to be well-formed and is kept as
 * bytes), and the engine only sees names on spans.
 */
export function usedDictIds(columns: RowGroupColumns, traces: number): { resources: number[]; scopes: number[] } {
  const rsCounts = new ByteSource(column(columns, COL.traceResourceSpans));
  const rsResource = new ByteSource(column(columns, COL.rsResource));
  const rsScopes = new ByteSource(column(columns, COL.rsScopeSpans));
  const ssScope = new ByteSource(column(columns, COL.ssScope));
  const ssSpans = new ByteSource(column(columns, COL.ssSpans));
  const resources = new Set<number>();
  const scopes = new Set<number>();
  for (let t = 0; t < traces; t++) {
    for (let rs = rsCounts.u(); rs > 0; rs--) {
      const resource = rsResource.u();
      for (let ss = rsScopes.u(); ss > 0; ss--) {
        const scope = ssScope.u();
        if (ssSpans.u() === 0) continue;
        resources.add(resource);
        scopes.add(scope);
      }
    }
  }
  return { resources: [...resources], scopes: [...scopes] };
}

/** What the column paths read of a row group: its columns, and whether some span is kept as bytes. */
export interface GroupColumns {
  readonly group: RowGroupRef;
  readonly columns: RowGroupColumns;
  /** Spans kept as bytes hold defaults in the span columns (an empty name…): the paths must not read those. */
  readonly rawSpans: boolean;
}

/** Whether the span column `name` has a value other than one 0 byte per span (a count or an empty shape), from the index. */
export function spansHaveAny(group: RowGroupRef, name: string): boolean {
  const c = group.columns.find((x) => x.name === name);
  return c !== undefined && c.length !== group.spans;
}

/** Whether every trace and span of the group is modelled in columns (one 0 byte each in `trace.raw` / `span.rest`), from the index. */
export function groupModelled(group: RowGroupRef): boolean {
  let raw = -1;
  let rest = -1;
  for (const c of group.columns) {
    if (c.name === COL.traceRaw) raw = c.length;
    else if (c.name === COL.spanRest) rest = c.length;
  }
  return raw === group.traces && rest === group.spans;
}

/** A dictionary entry by id; a damaged id is a TracelakeError, as the other column readers report damage. */
export function dictEntry(dict: readonly Uint8Array[], id: number): Uint8Array {
  const entry = dict[id];
  if (entry === undefined) throw new TracelakeError(`dictionary id ${id} out of range`);
  return entry;
}
