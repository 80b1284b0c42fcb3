import { combineTraces } from '../block/combine-trace.ts';
import type { RowGroupCursor } from '../block/row-group-cursor.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import { RowGroupReader, type RowGroupColumns } from '../block/row-group-reader.ts';
import type { TraceModel } from '../traceql/span-model.ts';
import { traceModel } from '../traceql/trace-model.ts';
import type { SpanLayout } from './row-group-layout.ts';
import { GroupTraces } from './scan-row-groups.ts';

/**
 * The traces of a fully loaded row group as the engine's span models, by index in increasing order, as the
 * reference tag path sees them: built from the columns, or (traces the columns leave out: kept as bytes,
 * with a span kept as bytes) rebuilt and passed through combineTraces as gatherTraces does, which drops
 * spans with invalid IDs (only spans kept as bytes can have them) and repeats of a span ID and kind.
 */
export class TagGroupTraces {
  readonly #traces: GroupTraces;
  readonly #rows: RowGroupReader;
  #cursor: RowGroupCursor | undefined;
  #at = 0;

  constructor(columns: RowGroupColumns, group: RowGroupRef, layout: SpanLayout) {
    this.#traces = new GroupTraces(columns, group, layout);
    this.#rows = new RowGroupReader(columns);
  }

  model(t: number): TraceModel {
    const model = this.#traces.columnModel(t);
    if (model !== undefined) return model;
    const cursor = (this.#cursor ??= this.#rows.cursor());
    cursor.skip(t - this.#at);
    this.#at = t + 1;
    return traceModel(combineTraces([cursor.next()]).trace);
  }
}
