import assert from 'node:assert/strict';
import { condAtoms, prefilterPlan, type SpanPred, type TraceCond } from '../../../backend/search/prefilter-plan.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';
import type { AttributeValue } from '../../../backend/traceql/value.ts';

/** The condition with each atom shown as its field (`span.x`, `:duration`), for comparing shapes. */
function shape(c: TraceCond): unknown {
  const pred = (p: SpanPred): unknown => {
    if (p.kind === 'atom') return p.field.kind === 'intrinsic' ? `:${p.field.intrinsic}` : `${p.field.kind}.${p.field.name}`;
    if (p.kind === 'any') return 'any';
    return { [p.kind]: p.parts.map(pred) };
  };
  if (c.kind === 'some') return { some: pred(c.pred) };
  if (c.kind === 'keep') return 'keep';
  return { [c.kind]: c.parts.map(shape) };
}

const plan = (q: string) => shape(prefilterPlan(parseQuery(q)));

describe('prefilterPlan', () => {
  it('needs some span to pass the filter\'s comparisons', () => {
    assert.deepEqual(plan('{ span.a = 1 && resource.b = "x" }'), { some: { and: ['span.a', 'resource.b'] } });
    assert.deepEqual(plan('{ .a = 1 || duration > 1s }'), { some: { or: ['any.a', ':duration'] } });
    assert.deepEqual(plan('{ 1 = span.a }'), { some: 'span.a' });
  });

  it('keeps every trace for what the columns cannot show', () => {
    for (const q of ['{}', '{ span.a = nil }', '{ !(span.a = 1) }', '{ traceDuration > 1s }', '{ span.a + 1 = 2 }',
      '{ event.a = 1 }', '{ span.a = span.b }', '{ childCount > 1 }', '{ true }', '{ span.a = 1 || rootName = "x" }']) {
      assert.equal(plan(q), 'keep', q);
    }
  });

  it('drops the parts of a conjunction it cannot show, not the others', () => {
    assert.deepEqual(plan('{ span.a = 1 && !(span.b = 2) }'), { some: 'span.a' });
    assert.deepEqual(plan('{ span.a = 1 && traceDuration > 1s }'), { some: 'span.a' });
  });

  it('needs both sides of && and structural operators, either of ||, the right side of negated ones', () => {
    assert.deepEqual(plan('{ span.a = 1 } && { span.b = 1 }'), { and: [{ some: 'span.a' }, { some: 'span.b' }] });
    assert.deepEqual(plan('{ span.a = 1 } >> { span.b = 1 }'), { and: [{ some: 'span.a' }, { some: 'span.b' }] });
    assert.deepEqual(plan('{ span.a = 1 } &~ { span.b = 1 }'), { and: [{ some: 'span.a' }, { some: 'span.b' }] });
    assert.deepEqual(plan('{ span.a = 1 } || { span.b = 1 }'), { or: [{ some: 'span.a' }, { some: 'span.b' }] });
    assert.deepEqual(plan('{ span.a = 1 } !> { span.b = 1 }'), { some: 'span.b' });
    assert.equal(plan('{ span.a = 1 } || {}'), 'keep');
  });

  it('needs every spanset stage of a pipeline, whatever the aggregates', () => {
    assert.deepEqual(plan('{ span.a = 1 } | count() = 0'), { some: 'span.a' });
    assert.deepEqual(plan('{ span.a = 1 } | by(span.c) | { kind = server }'), { and: [{ some: 'span.a' }, { some: ':kind' }] });
  });

  it('tests values with the engine\'s typed comparison', () => {
    const [atom] = condAtoms(prefilterPlan(parseQuery('{ span.a = 3 }')));
    const v = (value: AttributeValue) => atom.test(value);
    assert.equal(v({ type: 'int', value: 3 }), true);
    assert.equal(v({ type: 'float', value: 3 }), true);
    assert.equal(v({ type: 'string', value: '3' }), false);
    assert.equal(v({ type: 'array', values: [{ type: 'int', value: 1 }, { type: 'int', value: 3 }] }), true);
    assert.equal(v({ type: 'nil' }), false);
  });
});
