import type { RowGroupColumns } from '../block/row-group-cursor.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import type { SpanLayout } from './row-group-layout.ts';
import type { TagNameCollector, TagValueCollector } from './tag-collect.ts';
import type { GroupColumns } from './tag-columns.ts';
import { groupTagNames, nameColumns } from './tag-names-columns.ts';
import { rowTagNames } from './tag-names-rows.ts';
import { groupTagValues, valueColumns } from './tag-values-columns.ts';

/**
 * What a tag scan collects (names, or one field's values), from span models or straight from a row group's
 * columns; the block walk (tag-blocks.ts) picks the way per row group.
 */
export interface TagTarget {
  /** Whether collecting more cannot change the bounded answer (limit held or byte cap reached). */
  readonly full: boolean;
  addSpan(span: Span, trace: TraceModel): void;
  /**
   * The columns the column path reads in this group (every trace of it in range): empty = the group holds
   * nothing for the target; undefined = only span models give the answer.
   */
  columns(group: RowGroupRef): ReadonlySet<string> | undefined;
  /** Collects from the group's modelled spans; false = nothing collected, read the spans as models. */
  fromColumns(group: GroupColumns): boolean;
  /** When present, collects from some modelled span rows of a loaded group (`rows[s]` = 1) instead of their models. */
  fromRows?(columns: RowGroupColumns, layout: SpanLayout, rows: Uint8Array): void;
}

/** Attribute names by scope. */
export function nameTarget(names: TagNameCollector): TagTarget {
  return {
    get full() { return names.full; },
    addSpan: (span) => names.add(span),
    columns: nameColumns,
    fromColumns: (group) => {
      groupTagNames(group, names);
      return true;
    },
    fromRows: (columns, layout, rows) => rowTagNames(columns, layout, rows, names),
  };
}

/** The values of the collector's field. */
export function valueTarget(values: TagValueCollector): TagTarget {
  return {
    get full() { return values.full; },
    addSpan: (span, trace) => values.add(span, trace),
    columns: (group) => valueColumns(values.field, group),
    fromColumns: (group) => groupTagValues(values.field, group, values),
  };
}
