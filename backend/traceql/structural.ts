import type { StructuralOp } from './ast.ts';
import type { Span, TraceModel } from './span-model.ts';

const INVERSE: Readonly<Record<StructuralOp, StructuralOp>> = { '>': '<', '<': '>', '>>': '<<', '<<': '>>', '~': '~' };

/**
 * The spans of `rhs` that stand in relation `op` to some span of `lhs`: `>` child of, `<` parent of,
 * `>>` descendant of, `<<` ancestor of, `~` sibling of. Linear in the trace size, whatever its depth.
 */
export function relatedRight(op: StructuralOp, lhs: readonly Span[], rhs: readonly Span[], trace: TraceModel): Span[] {
  const n = trace.spans.length;
  const inL = new Uint8Array(n);
  for (const s of lhs) inL[s.index] = 1;
  const hit = marks(op, lhs, inL, trace, n);
  return rhs.filter((s) => hit(s));
}

/** `&op`: the matching spans of both sides. */
export function relatedBoth(op: StructuralOp, lhs: readonly Span[], rhs: readonly Span[], trace: TraceModel): Span[] {
  const set = new Set([...relatedRight(op, lhs, rhs, trace), ...relatedRight(INVERSE[op], rhs, lhs, trace)]);
  return [...set].sort((a, b) => a.index - b.index);
}

/** `!op`: the spans of `rhs` that do not stand in relation `op` to any span of `lhs`. */
export function unrelatedRight(op: StructuralOp, lhs: readonly Span[], rhs: readonly Span[], trace: TraceModel): Span[] {
  const related = new Set(relatedRight(op, lhs, rhs, trace));
  return rhs.filter((s) => !related.has(s));
}

function marks(op: StructuralOp, lhs: readonly Span[], inL: Uint8Array, trace: TraceModel, n: number): (s: Span) => boolean {
  switch (op) {
    case '>':
      return (s) => s.parent !== undefined && inL[s.parent.index] === 1;
    case '<': {
      const parentOfL = new Uint8Array(n);
      for (const l of lhs) if (l.parent !== undefined) parentOfL[l.parent.index] = 1;
      return (s) => parentOfL[s.index] === 1;
    }
    case '>>': {
      const below = new Uint8Array(n);
      for (const s of trace.preorder) {
        const p = s.parent;
        if (p !== undefined && (inL[p.index] === 1 || below[p.index] === 1)) below[s.index] = 1;
      }
      return (s) => below[s.index] === 1;
    }
    case '<<': {
      const above = new Uint8Array(n);
      for (let k = trace.preorder.length - 1; k >= 0; k--) {
        const s = trace.preorder[k];
        const p = s.parent;
        if (p !== undefined && (inL[s.index] === 1 || above[s.index] === 1)) above[p.index] = 1;
      }
      return (s) => above[s.index] === 1;
    }
    case '~': {
      const lChildren = new Uint32Array(n);
      for (const l of lhs) if (l.parent !== undefined) lChildren[l.parent.index]++;
      return (s) => s.parent !== undefined && lChildren[s.parent.index] - inL[s.index] > 0;
    }
  }
}
