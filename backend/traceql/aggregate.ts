import type { AggregateNode } from './ast.ts';
import { evalField } from './field-eval.ts';
import type { Spanset } from './spanset.ts';
import type { TraceModel } from './span-model.ts';
import { NIL } from './value.ts';
import type { Value } from './value.ts';

type Numeric = Extract<Value, { type: 'int' | 'float' | 'duration' }>;

/** count(), min/max/sum/avg(expr) over one spanset; spans whose value is not a number are left out. */
export function aggregate(a: AggregateNode, ss: Spanset, trace: TraceModel): Value {
  if (a.fn === 'count' || a.arg === undefined) return { type: 'int', value: ss.spans.length };
  const values: Numeric[] = [];
  for (const s of ss.spans) {
    const v = evalField(a.arg, s, trace);
    if (v.type === 'int' || v.type === 'float' || v.type === 'duration') values.push(v);
  }
  if (values.length === 0) return NIL;
  switch (a.fn) {
    case 'min': return values.reduce((m, v) => (v.value < m.value ? v : m));
    case 'max': return values.reduce((m, v) => (v.value > m.value ? v : m));
    case 'sum': return { type: sumType(values), value: values.reduce((t, v) => t + v.value, 0) };
    case 'avg': {
      const mean = values.reduce((t, v) => t + v.value, 0) / values.length;
      return values.every((v) => v.type === 'duration') ? { type: 'duration', value: Math.round(mean) } : { type: 'float', value: mean };
    }
  }
}

function sumType(values: readonly Numeric[]): Numeric['type'] {
  if (values.some((v) => v.type === 'float')) return 'float';
  return values.some((v) => v.type === 'duration') ? 'duration' : 'int';
}
