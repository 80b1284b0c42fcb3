import assert from 'node:assert/strict';
import { BadRequestError } from '../../../pipeline/errors.ts';
import { legacySearchQuery, parseLogfmt } from '../../../backend/search/legacy-tags.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { buildTrace } from '../traceql/trace-builder.ts';

const legacy = (tags: string, minDuration = '', maxDuration = '') => legacySearchQuery({ tags, minDuration, maxDuration });

describe('legacySearchQuery', function () {
  it('parses logfmt pairs, quoted values with escapes included', function () {
    assert.deepEqual(parseLogfmt(' a=b  c="d e \\"f\\"" empty= '), [['a', 'b'], ['c', 'd e "f"'], ['empty', '']]);
  });

  it('refuses a key without a value', function () {
    assert.throws(() => parseLogfmt('a=b lonely'), BadRequestError);
  });

  it('gives {} for an empty legacy search', function () {
    assert.equal(legacy(''), '{}');
  });

  it('matches span and resource attributes as strings or as the type the value spells', function () {
    const trace = buildTrace([
      { attrs: { 'service.name': 'checkout' }, spans: [{ id: 'a', attrs: { code: 500, ok: true, label: 'x y' } }, { id: 'b', attrs: { code: '500' } }] },
    ]);
    const matched = (tags: string): number => evaluate(legacy(tags), [trace])[0]?.spanSets[0]?.spans.length ?? 0;
    assert.equal(matched('code=500'), 2);
    assert.equal(matched('service.name=checkout ok=true'), 1);
    assert.equal(matched('label="x y"'), 1);
    assert.equal(matched('code=404'), 0);
  });

  it('bounds the trace duration with minDuration and maxDuration', function () {
    const trace = buildTrace([{ spans: [{ id: 'a', startMs: 0, durationMs: 30 }] }]);
    assert.equal(evaluate(legacy('', '20ms'), [trace]).length, 1);
    assert.equal(evaluate(legacy('', '40ms'), [trace]).length, 0);
    assert.equal(evaluate(legacy('', '', '20ms'), [trace]).length, 0);
  });
});
