import { FORMAT_TL2 } from '../block/block-layout.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { RowGroupFrames } from '../block/row-group-frames.ts';
import type { RowGroupColumns } from '../block/row-group-cursor.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PipelineNode } from '../traceql/ast.ts';
import { parseQuery } from '../traceql/parse-query.ts';
import { overlaps } from './block-scan.ts';
import { LAYOUT_COLUMNS, spanLayout, type SpanLayout } from './row-group-layout.ts';
import { scanBlock } from './scan-block.ts';
import { corrupt, dataReader, groupInRange } from './scan-row-groups.ts';
import { searchIndex } from './search-index-cache.ts';
import { matchedSpans } from './tag-collect.ts';
import { groupModelled } from './tag-columns.ts';
import { TagGroupTraces } from './tag-group-traces.ts';
import type { TagScan } from './tag-service.ts';
import type { TagTarget } from './tag-target.ts';

let matchAll: PipelineNode | undefined;

/**
 * Collects tag names or values from one block; answers the bytes read. Without a filter, a tl2 block is read
 * row group by row group from the few columns that hold the answer (tag-names-columns.ts,
 * tag-values-columns.ts); the traces kept as bytes, row groups straddling the time range and fields the
 * columns do not hold are read as span models. With a filter, and for tl1 blocks, the spans scanBlock
 * matches are read (a trace split over blocks is matched part by part, as Tempo does). Stops once the
 * target is full, checked after each row group (with a filter: each match).
 * The answers equal the decode-every-trace path's (TagNameCollector / TagValueCollector over merged traces)
 * except where that path's merge changes a stored trace: a span repeated in one trace with the same ID and
 * kind but other attributes (the merge keeps the first), a modelled span with an all-zero span ID (the merge
 * drops it; OTLP ingest refuses such spans, so blocks do not hold them), and a trace split over blocks or
 * over blocks and live data whose parts lie on both sides of the range's edge (judged part by part here).
 */
export async function blockTags(store: ObjectStore, meta: BlockMeta, scan: TagScan, target: TagTarget, signal?: AbortSignal): Promise<number> {
  if (scan.filter !== undefined || meta.format !== FORMAT_TL2) {
    const query = scan.filter ?? (matchAll ??= parseQuery('{}'));
    const stats = await scanBlock(store, meta, { query, range: scan.range }, (match) => {
      for (const span of matchedSpans(match)) target.addSpan(span, match.trace);
      return target.full;
    }, signal);
    return stats.inspectedBytes;
  }
  const { index, bytesRead } = await searchIndex(store, meta);
  const read = dataReader(store, meta);
  let bytes = bytesRead;
  // Up to PREFETCH groups' columns are being fetched while one is read: an object store answers in ms.
  const queue: (Loading | undefined)[] = [];
  let g = 0;
  const fill = (): void => {
    for (; queue.length < PREFETCH && g < index.groupCount; g++) {
      const group = index.group(g);
      if (groupInRange(group, scan.range)) queue.push(startGroup(new RowGroupFrames(read, group), scan.range, target));
    }
  };
  try {
    for (fill(); queue.length > 0 && !target.full; fill()) {
      signal?.throwIfAborted();
      const loading = queue.shift();
      if (loading !== undefined) bytes += await finishGroup(loading, scan.range, target);
    }
  } catch (err) {
    throw corrupt(meta, err);
  }
  return bytes;
}

/** Row groups whose columns are fetched ahead of the one being read. */
const PREFETCH = 4;

/** A row group whose columns are being fetched: those `wanted` by the column path, or (undefined) all. */
interface Loading {
  readonly frames: RowGroupFrames;
  readonly wanted: ReadonlySet<string> | undefined;
  readonly modelled: boolean;
  readonly ready: Promise<void>;
}

/**
 * Starts fetching a row group: for the column path when every trace is in range and the target allows it,
 * else every column (models). The layout columns (which traces and spans are kept as bytes) are fetched only
 * when the index shows there are some. Undefined when the index shows the group holds nothing for the target.
 */
function startGroup(frames: RowGroupFrames, range: TimeRange | undefined, target: TagTarget): Loading | undefined {
  const { group } = frames;
  const wanted = groupWithin(group, range) ? target.columns(group) : undefined;
  if (wanted !== undefined && wanted.size === 0) return undefined;
  const modelled = groupModelled(group);
  const ready = frames.load(wanted === undefined || modelled ? wanted : new Set([...wanted, ...LAYOUT_COLUMNS]));
  ready.catch(() => undefined); // awaited in turn; a scan stopped before that drops it
  return { frames, wanted, modelled, ready };
}

/** Reads a fetched row group into the target; answers the bytes read. */
async function finishGroup(loading: Loading, range: TimeRange | undefined, target: TagTarget): Promise<number> {
  const { frames, wanted } = loading;
  const { group } = frames;
  await loading.ready;
  let layout = loading.modelled ? undefined : spanLayout(frames.columns(), group.traces);
  let models: number[] | undefined;
  const rawSpans = layout !== undefined && layout.rawSpans.length > 0;
  if (wanted !== undefined && target.fromColumns({ group, columns: frames.columns(), rawSpans })) models = layout === undefined ? [] : slowTraces(layout);
  if (models === undefined || models.length > 0) {
    await frames.load();
    layout ??= spanLayout(frames.columns(), group.traces);
    readModels({ columns: frames.columns(), group, layout, range, target }, models);
  }
  return frames.bytesRead;
}

interface ModelRead {
  readonly columns: RowGroupColumns;
  readonly group: RowGroupRef;
  readonly layout: SpanLayout;
  readonly range: TimeRange | undefined;
  readonly target: TagTarget;
}

/**
 * The traces `only` lists (all without it) as span models, those in the range handed to the target; when
 * the target reads span rows from columns (names), the modelled traces in range are handed over as rows.
 */
function readModels(at: ModelRead, only: number[] | undefined): void {
  const { columns, group, layout, range, target } = at;
  const traces = new TagGroupTraces(columns, group, layout);
  const slow = new Set(only ?? slowTraces(layout));
  const rows = only === undefined && target.fromRows !== undefined ? new Uint8Array(layout.spans) : undefined;
  for (const t of only ?? Array.from({ length: group.traces }, (_, i) => i)) {
    const trace = traces.model(t);
    if (!overlaps(trace, range)) continue;
    if (rows !== undefined && !slow.has(t)) rows.fill(1, layout.spanStart[t], layout.spanStart[t + 1]);
    else for (const span of trace.spans) target.addSpan(span, trace);
  }
  if (rows !== undefined) target.fromRows!(columns, layout, rows);
}

/** Whether every trace of the group has spans in the range (group times are whole ms: a ms of slack). */
function groupWithin(group: RowGroupRef, range: TimeRange | undefined): boolean {
  return range === undefined || (group.startMs - 1 >= range.start * 1000 && group.endMs + 1 < (range.end + 1) * 1000);
}

/** Traces the columns leave out, in order: kept as bytes, or with a span kept as bytes. */
function slowTraces(layout: SpanLayout): number[] {
  const out: number[] = [];
  let raw = 0;
  for (let t = 0; t < layout.traces; t++) {
    const end = layout.spanStart[t + 1];
    let slow = layout.rawTrace[t] === 1;
    while (raw < layout.rawSpans.length && layout.rawSpans[raw]! < end) {
      slow = true;
      raw++;
    }
    if (slow) out.push(t);
  }
  return out;
}
