import assert from 'node:assert/strict';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { run, T1 } from './fixture-traces.ts';
import { buildTrace } from './trace-builder.ts';
import type { SpanSpec } from './trace-builder.ts';

/**
 * Over T1: GET /api/cart → checkout call → POST /checkout → { SELECT, publish → consume → internal work }.
 * Structural operators return the right-hand spans; `&op` both sides; `!op` the right-hand spans without
 * the relation.
 */
const CASES: Array<[string, string[]]> = [
  ['{ name = "GET /api/cart" } > { }', ['T1[checkout call]']],
  ['{ resource.service.name = "checkout" } > { }', ['T1[SELECT,publish,consume]']],
  ['{ kind = server } > { kind = client }', ['T1[checkout call,SELECT]']],
  ['{ } < { kind = server }', ['T1[GET /api/cart,POST /checkout]']],
  ['{ name = "SELECT" } < { }', ['T1[POST /checkout]']],
  ['{ kind = server } >> { kind = internal }', ['T1[internal work]']],
  ['{ name = "publish" } >> { }', ['T1[consume,internal work]']],
  ['{ name = "internal work" } >> { }', []],
  ['{ name = "internal work" } << { }', ['T1[GET /api/cart,checkout call,POST /checkout,publish,consume]']],
  ['{ name = "SELECT" } << { kind = server }', ['T1[GET /api/cart,POST /checkout]']],
  ['{ name = "SELECT" } ~ { }', ['T1[publish]']],
  ['{ kind = client } ~ { kind = producer }', ['T1[publish]']],
  ['{ name = "SELECT" } ~ { name = "SELECT" }', []],
  ['{ name = "GET /api/cart" } ~ { }', []],
  ['{ kind = server } &> { kind = client }', ['T1[GET /api/cart,checkout call,POST /checkout,SELECT]']],
  ['{ name = "SELECT" } &~ { }', ['T1[SELECT,publish]']],
  ['{ name = "publish" } &>> { }', ['T1[publish,consume,internal work]']],
  ['{ name = "internal work" } &<< { kind = server }', ['T1[GET /api/cart,POST /checkout,internal work]']],
  ['{ name = "SELECT" } &< { }', ['T1[POST /checkout,SELECT]']],
  ['{ kind = server } !> { resource.service.name = "checkout" }', ['T1[POST /checkout]']],
  ['{ kind = server } !> { kind = client }', []],
  ['{ kind = server } !>> { kind = internal }', []],
  ['{ name = "publish" } !>> { resource.service.name = "checkout" || resource.service.name = "worker" }',
    ['T1[POST /checkout,SELECT,publish]']],
  ['{ name = "SELECT" } !< { kind = server }', ['T1[GET /api/cart]']],
  ['{ name = "SELECT" } !<< { }', ['T1[SELECT,publish,consume,internal work]']],
  ['{ name = "SELECT" } !~ { resource.service.name = "checkout" }', ['T1[POST /checkout,SELECT]']],
  ['{ kind = server } > { kind = client } > { }', ['T1[POST /checkout]']],
  ['{ kind = server } >> ({ kind = client } > { })', ['T1[POST /checkout]']],
  ['{ name = "SELECT" } && { kind = consumer }', ['T1[SELECT,consume]']],
  ['{ name = "SELECT" } && { name = "nope" }', []],
  ['{ name = "SELECT" } || { name = "nope" }', ['T1[SELECT]']],
  ['{ name = "SELECT" } || { kind = client }', ['T1[checkout call,SELECT]']],
  ['{ kind = consumer } && { kind = producer } > { }', ['T1[consume]']],
  ['{ kind = producer } && { kind = producer } > { }', ['T1[publish,consume]']],
  ['({ kind = client } | count() = 2) > { }', ['T1[POST /checkout]']],
  ['({ kind = client } | count() = 3) > { }', []],
];

describe('evaluate: spanset operators', () => {
  for (const [query, expected] of CASES) {
    it(`${query} → ${expected.join(' ') || 'nothing'}`, () => assert.deepEqual(run(query, [T1]), expected));
  }

  it('needs both sides in the same trace for &&', () => {
    assert.deepEqual(run('{ name = "cron" } && { name = "orphan" }'), []);
    assert.deepEqual(run('{ name = "cron" } || { name = "orphan" }'), ['T2[cron]', 'T3[orphan]']);
  });

  describe('on a 1,000-span trace', () => {
    // A chain of 500 spans, then 500 siblings under the last one: deep and wide at once.
    const spans: SpanSpec[] = [];
    for (let k = 0; k < 500; k++) spans.push({ id: `c${k}`, parent: k === 0 ? undefined : `c${k - 1}`, attrs: { depth: k } });
    for (let k = 0; k < 500; k++) spans.push({ id: `w${k}`, parent: 'c499', attrs: { leaf: k } });
    const big = buildTrace([{ spans }]);
    const count = (q: string): number => evaluate(q, [big])[0]?.spanSets[0].spans.length ?? 0;

    it('finds every descendant and ancestor', () => {
      assert.equal(count('{ } >> { }'), 999);
      assert.equal(count('{ } << { }'), 500);
      assert.equal(count('{ span.depth = 0 } >> { span.leaf != nil }'), 500);
      assert.equal(count('{ span.leaf = 499 } << { }'), 500);
    });

    it('finds siblings and children', () => {
      assert.equal(count('{ } ~ { }'), 500);
      assert.equal(count('{ span.leaf = 0 } ~ { }'), 499);
      assert.equal(count('{ span.depth = 499 } > { }'), 500);
      assert.equal(count('{ } < { }'), 500);
      assert.equal(count('{ } &~ { }'), 500);
      assert.equal(count('{ span.leaf != nil } !>> { }'), 1000);
    });
  });
});
