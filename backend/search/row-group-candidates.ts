import { COL } from '../block/column-names.ts';
import type { RowGroupRef } from '../block/row-group-index.ts';
import type { RowGroupColumns } from '../block/row-group-reader.ts';
import { condAtoms, condMayHold, type SpanAtom, type SpanPred, type TraceCond } from './prefilter-plan.ts';
import { LAYOUT_COLUMNS, type SpanLayout } from './row-group-layout.ts';
import { FAIL, fieldColumns, PASS, SpanAtomBits, UNSURE } from './span-atom-bits.ts';

/** The columns `candidateTraces` reads for `cond`. */
export function conditionColumns(cond: TraceCond): Set<string> {
  const out = new Set<string>(LAYOUT_COLUMNS);
  for (const atom of condAtoms(cond)) for (const name of fieldColumns(atom.field)) out.add(name);
  return out;
}

/** Whether a row group's columns include span attributes whose key is not UTF-8 (no `span.attr:<key>` name). */
export function hasUnnamedKeys(group: RowGroupRef): boolean {
  return group.columns.some((c) => c.name.startsWith('span.attr#'));
}

/**
 * Whether some trace of the row group may satisfy `cond`, from the index alone: false when a required span
 * attribute has no column in the group and no span or trace is kept as bytes.
 */
export function groupMayMatch(group: RowGroupRef, cond: TraceCond): boolean {
  const lengths = new Map(group.columns.map((c) => [c.name, c.length]));
  // Every trace and span modelled (one 0 byte each in trace.raw / span.rest), every key named.
  const modelled = lengths.get(COL.traceRaw) === group.traces && lengths.get(COL.spanRest) === group.spans && !hasUnnamedKeys(group);
  if (!modelled) return true;
  return condMayHold(cond, group.spans, (a) => a.field.kind !== 'span' || lengths.has(`span.attr:${a.field.name}`));
}

/** What the filter columns tell of a row group's traces. */
export interface Candidates {
  /**
   * Per trace: FAIL (cannot match), UNSURE (may: the engine decides), PASS (for a plan that is a single
   * exact span filter: matches, its passing spans being those PASS in `spans`). Traces kept as bytes are UNSURE.
   */
  readonly traces: Uint8Array;
  /** The verdicts per span row of a plan that is one span condition (`some`), else undefined. */
  readonly spans: Uint8Array | undefined;
}

/**
 * Per trace of the row group, whether it may satisfy `cond` (three-valued: and = min, or = max); the columns
 * hold at least `conditionColumns(cond)`.
 */
export function candidateTraces(columns: RowGroupColumns, layout: SpanLayout, cond: TraceCond, unnamedKeys: boolean): Candidates {
  const atoms = new SpanAtomBits(columns, layout, unnamedKeys);
  const cache = new Map<SpanAtom, Uint8Array>();
  const spanBits = (p: SpanPred): Uint8Array => {
    switch (p.kind) {
      case 'atom': {
        let bits = cache.get(p);
        if (bits === undefined) cache.set(p, (bits = atoms.bits(p)));
        return bits;
      }
      case 'any': return new Uint8Array(layout.spans).fill(UNSURE);
      default: return combine(p.kind, p.parts.map(spanBits), layout.spans);
    }
  };
  const traceBits = (c: TraceCond): Uint8Array => {
    switch (c.kind) {
      case 'keep': return new Uint8Array(layout.traces).fill(UNSURE);
      case 'some': return someSpan(spanBits(c.pred), layout);
      default: return combine(c.kind, c.parts.map(traceBits), layout.traces);
    }
  };
  const spans = cond.kind === 'some' ? spanBits(cond.pred) : undefined;
  const traces = spans !== undefined ? someSpan(spans, layout) : traceBits(cond);
  for (let t = 0; t < layout.traces; t++) if (layout.rawTrace[t] === 1) traces[t] = UNSURE;
  return { traces, spans };
}

function combine(op: 'and' | 'or', parts: readonly Uint8Array[], n: number): Uint8Array {
  const out = parts[0].slice();
  for (let p = 1; p < parts.length; p++) {
    const bits = parts[p];
    if (op === 'and') for (let i = 0; i < n; i++) out[i] = Math.min(out[i], bits[i]);
    else for (let i = 0; i < n; i++) out[i] = Math.max(out[i], bits[i]);
  }
  return out;
}

/** FAIL when no span may pass; PASS when some span passes and every other surely fails or passes; else UNSURE. */
function someSpan(spans: Uint8Array, layout: SpanLayout): Uint8Array {
  const out = new Uint8Array(layout.traces);
  const { spanStart } = layout;
  for (let t = 0; t < layout.traces; t++) {
    let verdict = FAIL;
    for (let s = spanStart[t]; s < spanStart[t + 1]; s++) {
      const v = spans[s];
      if (v === UNSURE) {
        verdict = UNSURE;
        break;
      }
      if (v === PASS) verdict = PASS;
    }
    out[t] = verdict;
  }
  return out;
}
