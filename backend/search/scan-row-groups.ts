import { blockObjectKey, DATA_NAME } from '../block/block-layout.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { RowGroupFrames, type ReadData } from '../block/row-group-frames.ts';
import { windowedRead } from '../block/windowed-read.ts';
import type { RowGroupIndex, RowGroupRef } from '../block/row-group-index.ts';
import type { RowGroupCursor } from '../block/row-group-cursor.ts';
import { RowGroupReader, type RowGroupColumns } from '../block/row-group-reader.ts';
import type { TimeRange } from '../querier/trace-source.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PipelineNode } from '../traceql/ast.ts';
import { evaluate, matchAfterFilter } from '../traceql/evaluate.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { NotFoundError, RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import { prefilterPlan, startsWithExactFilter, type TraceCond } from './prefilter-plan.ts';
import { candidateTraces, conditionColumns, groupMayMatch, hasUnnamedKeys, type Candidates } from './row-group-candidates.ts';
import { FAIL, PASS } from './span-atom-bits.ts';
import { spanLayout, type SpanLayout } from './row-group-layout.ts';
import { RowGroupModels } from './row-group-models.ts';
import type { BlockScan, OnMatch, ScanStats } from './block-scan.ts';
import { overlaps } from './block-scan.ts';
import { searchIndex } from './search-index-cache.ts';
import { summaryMayMatch } from './summary-may-match.ts';

interface Plan {
  readonly cond: TraceCond;
  readonly columns: ReadonlySet<string>;
  /** The condition is exactly the query's first stage, a span filter (startsWithExactFilter). */
  readonly exact: boolean;
}

const plans = new WeakMap<PipelineNode, Plan>();

/**
 * scanBlock over a tl2 block: per row group in the time range, the index rules out groups lacking a
 * required attribute column or whose summary shows no span can pass a required atom; the filter columns decide which traces may match (prefilter-plan.ts); only
 * when some may are the other columns read, and only those traces built as span models (row-group-models.ts).
 * When the filter columns decide the query's first stage exactly, the traces they pass skip that stage in the
 * engine; the others are evaluated by it. Stats: traces and spans of the row groups in range, bytes read.
 */
export async function scanRowGroups(
  store: ObjectStore, meta: BlockMeta, scan: BlockScan, onMatch: OnMatch, signal?: AbortSignal,
): Promise<ScanStats> {
  const stats: ScanStats = { inspectedTraces: 0, inspectedSpans: 0, inspectedBytes: 0 };
  const { index, bytesRead } = await searchIndex(store, meta);
  stats.inspectedBytes += bytesRead;
  const plan = planOf(scan.query);
  const read = dataReader(store, meta);
  const groups = candidateGroups(meta, index, plan, scan.range);
  // The next group's filter columns are read while this one is evaluated: object stores answer in ms.
  const prefetch = (g: number): Loading | undefined => {
    let next = g;
    while (next < groups.length && !groups[next].mayMatch) next++;
    if (next === groups.length) return undefined;
    const frames = new RowGroupFrames(read, groups[next].group);
    const ready = frames.load(plan.cond.kind === 'keep' ? undefined : plan.columns);
    ready.catch(() => undefined); // awaited when its turn comes; a scan stopped before that drops it
    return { at: next, frames, ready };
  };
  let loading = prefetch(0);
  for (let i = 0; i < groups.length; i++) {
    signal?.throwIfAborted();
    stats.inspectedTraces += groups[i].group.traces;
    stats.inspectedSpans += groups[i].group.spans;
    if (loading === undefined || loading.at !== i) continue;
    const { frames, ready } = loading;
    loading = prefetch(i + 1);
    try {
      await ready;
      const stop = await scanGroup(frames, plan, scan, onMatch, signal);
      stats.inspectedBytes += frames.bytesRead;
      if (stop) break;
    } catch (err) {
      throw corrupt(meta, err);
    }
  }
  return stats;
}

interface Loading {
  readonly at: number;
  readonly frames: RowGroupFrames;
  readonly ready: Promise<void>;
}

/**
 * The row groups in the time range, and whether the index leaves it possible that one of their traces
 * matches (its columns, and its summary: durations, statuses, kinds, attribute value ranges).
 */
function candidateGroups(meta: BlockMeta, index: RowGroupIndex, plan: Plan, range: TimeRange | undefined): { group: RowGroupRef; mayMatch: boolean }[] {
  const out: { group: RowGroupRef; mayMatch: boolean }[] = [];
  try {
    for (let g = 0; g < index.groupCount; g++) {
      const group = index.group(g);
      if (groupInRange(group, range)) out.push({ group, mayMatch: groupMayMatch(group, plan.cond) && summaryMayMatch(group, plan.cond) });
    }
  } catch (err) {
    throw corrupt(meta, err);
  }
  return out;
}

/** Filter columns first, the rest only when a trace may match; true once onMatch asks to stop. */
async function scanGroup(frames: RowGroupFrames, plan: Plan, scan: BlockScan, onMatch: OnMatch, signal?: AbortSignal): Promise<boolean> {
  const { group } = frames;
  let candidates: Candidates | undefined;
  let layout: SpanLayout | undefined;
  if (plan.cond.kind !== 'keep') {
    await frames.load(plan.columns);
    const columns = frames.columns();
    layout = spanLayout(columns, group.traces);
    candidates = candidateTraces(columns, layout, plan.cond, hasUnnamedKeys(group));
    if (!candidates.traces.some((v) => v !== FAIL)) return false;
  }
  await frames.load();
  const columns = frames.columns();
  const traces = new GroupTraces(columns, group, layout ?? spanLayout(columns, group.traces));
  return matchGroup(traces, plan.exact ? candidates : undefined, scan, { onMatch, signal, candidates: candidates?.traces });
}

/**
 * A scan reads a block's data forwards in windows of this size (windowed-read.ts): on S3 it doubled the
 * spans scanned per CPU-second of a 2M-span block (0.9M → 2.2M; the SDK's cost per request dominated), on
 * a local disk it took 1.9M to 2.8M.
 */
const SCAN_WINDOW_BYTES = 1 << 20;

/** Reads of a block's data object for a forward scan, missing data as a RetryableError. */
export function dataReader(store: ObjectStore, meta: BlockMeta): ReadData {
  const key = blockObjectKey(meta.tenantID, meta.blockID, DATA_NAME);
  return windowedRead(async (offset, length) => {
    if (offset + length > meta.size) throw new TracelakeError('row group past the end of data');
    try {
      return await store.getRange(key, offset, length);
    } catch (err) {
      if (err instanceof NotFoundError) throw new RetryableError(`block ${blockName(meta)}: object data is missing (deleted or never written)`, { cause: err });
      throw err;
    }
  }, meta.size, SCAN_WINDOW_BYTES);
}

/** Damage found in the block (a plain TracelakeError), named after it; other errors pass as they are. */
export function corrupt(meta: BlockMeta, err: unknown): unknown {
  if (!(err instanceof TracelakeError) || err.constructor !== TracelakeError || err.message.startsWith(`block ${blockName(meta)}:`)) return err;
  return new TracelakeError(`block ${blockName(meta)}: object data is corrupt: ${err.message}`, { cause: err });
}

function blockName(meta: BlockMeta): string {
  return `${meta.tenantID}/${meta.blockID}`;
}

function planOf(query: PipelineNode): Plan {
  let plan = plans.get(query);
  if (plan === undefined) {
    const cond = prefilterPlan(query);
    plans.set(query, (plan = { cond, columns: conditionColumns(cond), exact: cond.kind === 'some' && startsWithExactFilter(query) }));
  }
  return plan;
}

/** Traces evaluated together: the engine prepares a query once per call, not once per trace. */
const BATCH = 64;

interface Handover {
  readonly onMatch: OnMatch;
  readonly signal: AbortSignal | undefined;
  /** Per trace FAIL / UNSURE / PASS (candidateTraces); undefined = every trace may match. */
  readonly candidates: Uint8Array | undefined;
}

/**
 * Hands over the matches of the candidate traces in trace order; true once onMatch asks to stop. Traces an
 * exact plan (`exact`) judged PASS start from the spans the verdicts pass (the engine runs only the later
 * stages); the others are evaluated by the engine.
 */
function matchGroup(traces: GroupTraces, exact: Candidates | undefined, scan: BlockScan, to: Handover): boolean {
  const batch: TraceModel[] = [];
  for (let t = 0; t < traces.count; t++) {
    const verdict = to.candidates === undefined ? PASS : to.candidates[t];
    if (verdict === FAIL) continue;
    const known = exact !== undefined && verdict === PASS ? traces.columnModel(t) : undefined;
    const trace = known ?? traces.model(t);
    if (!overlaps(trace, scan.range)) continue;
    if (known === undefined) {
      batch.push(trace);
      if (batch.length === BATCH && handOver(batch, scan, to)) return true;
      continue;
    }
    // In trace order: what the engine has yet to judge goes first.
    if (handOver(batch, scan, to)) return true;
    const match = matchAfterFilter(scan.query, trace, passing(trace, exact!.spans!, traces.firstRow(t)));
    if (match !== undefined && to.onMatch(match) === true) return true;
  }
  return handOver(batch, scan, to);
}

/** The spans of the trace whose rows (from `first`) the verdicts pass. */
function passing(trace: TraceModel, verdicts: Uint8Array, first: number): Span[] {
  const out: Span[] = [];
  for (const span of trace.spans) if (verdicts[first + span.index] === PASS) out.push(span);
  return out;
}

/** Evaluates the batch (emptying it) and hands its matches over; true once onMatch asks to stop. */
function handOver(batch: TraceModel[], scan: BlockScan, to: Handover): boolean {
  to.signal?.throwIfAborted();
  if (batch.length === 0) return false;
  const matches = evaluate(scan.query, batch);
  batch.length = 0;
  for (const match of matches) if (to.onMatch(match) === true) return true;
  return false;
}

/**
 * The traces of a row group as the engine's model, by index in increasing order: built from the columns, or
 * (traces RowGroupModels leaves out) rebuilt as TracesData and decoded, as trace by ID reads them.
 */
export class GroupTraces {
  readonly count: number;
  readonly #models: RowGroupModels;
  readonly #layout: SpanLayout;
  readonly #rows: RowGroupReader;
  #cursor: RowGroupCursor | undefined;
  #at = 0;

  constructor(columns: RowGroupColumns, group: RowGroupRef, layout: SpanLayout) {
    this.#rows = new RowGroupReader(columns);
    if (this.#rows.traceCount !== group.traces || layout.traces !== group.traces) {
      throw new TracelakeError(`row group at ${group.offset} holds ${this.#rows.traceCount} traces, the index says ${group.traces}`);
    }
    this.count = group.traces;
    this.#layout = layout;
    this.#models = new RowGroupModels(columns, layout);
  }

  /** Trace t built from the columns, or undefined when only rebuilding it gives the engine's model. */
  columnModel(t: number): TraceModel | undefined {
    return this.#models.model(t);
  }

  /** Trace t's first span row. */
  firstRow(t: number): number {
    return this.#layout.spanStart[t];
  }

  model(t: number): TraceModel {
    const model = this.#models.model(t);
    if (model !== undefined) return model;
    const cursor = (this.#cursor ??= this.#rows.cursor());
    cursor.skip(t - this.#at);
    this.#at = t + 1;
    return traceModel(cursor.next());
  }
}

/** Row group times are whole ms from float nanoseconds: a ms of slack on each side. */
export function groupInRange(group: RowGroupRef, range: TimeRange | undefined): boolean {
  return range === undefined || (group.startMs - 1 < (range.end + 1) * 1000 && group.endMs + 1 >= range.start * 1000);
}
