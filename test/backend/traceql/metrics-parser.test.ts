import assert from 'node:assert/strict';
import { BadRequestError } from '../../../pipeline/errors.ts';
import { parseMetricsQuery, parseQuery } from '../../../backend/traceql/parse-query.ts';
import { TraceQLError } from '../../../backend/traceql/traceql-error.ts';

describe('parseMetricsQuery', () => {
  it('splits the span filter from rate() by (…)', () => {
    const q = parseMetricsQuery('{ resource.service.name = "api" } | rate() by (span.http.route, name)');
    assert.equal(q.filter.stages.length, 1);
    assert.equal(q.filter.stages[0].kind, 'filter');
    assert.equal(q.metrics.fn, 'rate');
    assert.equal(q.metrics.attr, undefined);
    assert.deepEqual(q.metrics.by.map((b) => (b.kind === 'attribute' ? `${b.scope}.${b.name}` : b.intrinsic)), ['span.http.route', 'name']);
    assert.equal(q.second, undefined);
  });

  it('reads every function with its attribute', () => {
    for (const fn of ['min_over_time', 'max_over_time', 'sum_over_time', 'avg_over_time', 'histogram_over_time']) {
      const q = parseMetricsQuery(`{} | ${fn}(span:duration)`);
      assert.equal(q.metrics.fn, fn);
      assert.equal(q.metrics.attr?.kind, 'intrinsic');
    }
    assert.equal(parseMetricsQuery('{} | count_over_time() by (.x)').metrics.by[0].kind, 'attribute');
  });

  it('reads quantile_over_time quantiles as numbers', () => {
    const q = parseMetricsQuery('{ status = error } | quantile_over_time(duration, .5, 0.9, 1) by (resource.service.name)');
    assert.deepEqual(q.metrics.quantiles, [0.5, 0.9, 1]);
    assert.equal(q.metrics.by.length, 1);
  });

  it('keeps a pipeline before the metrics stage', () => {
    const q = parseMetricsQuery('{ .a = 1 } >> { .b = 2 } | by(.c) | count() > 1 | rate()');
    assert.equal(q.filter.stages.length, 3);
    assert.equal(q.metrics.fn, 'rate');
  });

  it('reads a topk / bottomk second stage', () => {
    assert.deepEqual(parseMetricsQuery('{} | rate() by (name) | topk(3)').second?.limit, 3);
    assert.equal(parseMetricsQuery('{} | rate() by (name) | bottomk(2)').second?.kind, 'bottomk');
  });

  it('refuses a query without a metrics stage with Tempo\'s message', () => {
    assert.throws(() => parseMetricsQuery('{ status = error }'), (e: Error) => e instanceof BadRequestError && e.message === 'not a metrics query');
  });

  it('refuses bad metrics stages with a position or Tempo\'s validation message', () => {
    assert.throws(() => parseMetricsQuery('{} | rate(duration)'), (e: Error) => e instanceof TraceQLError && e.column === 11);
    assert.throws(() => parseMetricsQuery('{} | sum_over_time()'), TraceQLError);
    assert.throws(() => parseMetricsQuery('{} | rate() | count() > 1'), TraceQLError);
    assert.throws(() => parseMetricsQuery('{} | rate() by ()'), TraceQLError);
    assert.throws(() => parseMetricsQuery('{} | quantile_over_time(duration)'), TraceQLError);
    assert.throws(() => parseMetricsQuery('({} | rate())'), TraceQLError);
    assert.throws(() => parseMetricsQuery('{} | quantile_over_time(duration, 1.5)'), { message: 'quantile must be between 0 and 1: 1.5' });
    assert.throws(() => parseMetricsQuery('{} | rate() by (.a,.b,.c,.d,.e,.f)'), { message: 'metrics group by 6 values not yet supported' });
    assert.throws(() => parseMetricsQuery('{} | histogram_over_time(duration) by (.a,.b,.c,.d,.e)'), { message: 'metrics group by 5 values not yet supported' });
    assert.throws(() => parseMetricsQuery('{} | rate() | topk(0)'), { message: 'limit must be greater than 0' });
  });

  it('still type-checks the filter', () => {
    assert.throws(() => parseMetricsQuery('{ 1 + "a" } | rate()'), /binary operations must operate on the same type/);
  });
});

describe('parseQuery with a metrics stage', () => {
  it('refuses a metrics query for search with a 400 pointing at the function', () => {
    assert.throws(() => parseQuery('{} | rate()'), (e: Error) => e instanceof TraceQLError && e.column === 6 && /not supported by search/.test(e.message));
  });

  it('leaves attributes named like metrics functions alone', () => {
    assert.equal(parseQuery('{ .rate = 1 } | by(.count_over_time)').stages.length, 2);
  });
});
