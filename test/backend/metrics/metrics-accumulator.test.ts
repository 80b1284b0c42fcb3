import assert from 'node:assert/strict';
import { MetricsAccumulator } from '../../../backend/metrics/metrics-accumulator.ts';
import { log2Bucket, log2Quantile } from '../../../backend/metrics/log2-histogram.ts';
import { applySecondStage } from '../../../backend/metrics/second-stage.ts';
import { outputSeries, type OutputSeries } from '../../../backend/metrics/series-output.ts';
import { rangeGrid } from '../../../backend/metrics/time-grid.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { parseMetricsQuery } from '../../../backend/traceql/parse-query.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import { BASE_SECONDS, generateCorpus } from './metrics-corpus.ts';

const S = 1_000_000_000n;
const grid = rangeGrid(BigInt(BASE_SECONDS) * S, BigInt(BASE_SECONDS + 600) * S, 60n * S);
const models = generateCorpus(120).traces.map((t) => traceModel(t.bytes));

function accumulate(query: string, traces = models): MetricsAccumulator {
  const q = parseMetricsQuery(query);
  const acc = new MetricsAccumulator(q.metrics, grid);
  for (const match of evaluate(q.filter, traces)) for (const ss of match.spanSets) for (const s of ss.spans) acc.observe(s.span, match.trace);
  return acc;
}

describe('MetricsAccumulator', () => {
  it('merges parts into exactly what the whole gives, for every kind of state', () => {
    for (const query of [
      '{} | rate() by (name)', '{} | avg_over_time(span.size) by (resource.service.name)', '{} | min_over_time(duration)',
      '{} | max_over_time(span.size)', '{} | quantile_over_time(duration, .5, .99) by (name)', '{} | histogram_over_time(span.size)',
    ]) {
      const whole = accumulate(query);
      const merged = accumulate(query, models.slice(0, 50));
      merged.merge(accumulate(query, models.slice(50)));
      const sort = (a: { labels: unknown }, b: { labels: unknown }): number => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));
      const w = outputSeries(whole).sort(sort);
      const m = outputSeries(merged).sort(sort);
      assert.equal(m.length, w.length, query);
      m.forEach((s, i) => {
        assert.deepEqual(s.labels, w[i].labels, query);
        s.values.forEach((v, j) => assert.ok(Object.is(v, w[i].values[j]) || Math.abs(v - w[i].values[j]) < 1e-9, `${query}: ${v} vs ${w[i].values[j]}`));
      });
    }
  });

  it('keeps an all-nil group as one nil label', () => {
    const out = outputSeries(accumulate('{} | count_over_time() by (span.missing)'));
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].labels, [{ key: 'span.missing', value: { type: 'nil' } }]);
  });
});

describe('log2 histograms', () => {
  it('round values up to a power of two and drop those below 2', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 1000].map(log2Bucket), [undefined, 2, 4, 4, 8, 1024]);
  });

  it('interpolate quantiles exponentially inside a bucket', () => {
    const buckets = [{ max: 2, count: 2 }, { max: 8, count: 2 }];
    assert.equal(log2Quantile(0.5, buckets), 2);
    assert.equal(log2Quantile(0.75, buckets), 2 ** (1 + 2 * 0.5));
    assert.equal(log2Quantile(0.1, [{ max: 16, count: 4 }]), 2 ** (3 + 0.25));
    assert.equal(log2Quantile(1.5, buckets), 0);
  });
});

describe('applySecondStage', () => {
  it('keeps the n highest (lowest) series at each interval', () => {
    const s = (name: string, values: number[]): OutputSeries =>
      ({ labels: [{ key: 'name', value: { type: 'string', value: name } }], values, exemplars: [] });
    const input = [s('a', [1, 5, NaN]), s('b', [3, 1, 2]), s('c', [2, 4, 1])];
    const top = applySecondStage(input, { kind: 'topk', limit: 1, pos: { offset: 0, line: 1, column: 1 } });
    assert.deepEqual(top.map((x) => [(x.labels[0].value as { value: string }).value, x.values]), [['a', [NaN, 5, NaN]], ['b', [3, NaN, 2]]]);
    const bottom = applySecondStage(input, { kind: 'bottomk', limit: 2, pos: { offset: 0, line: 1, column: 1 } });
    assert.deepEqual(bottom.map((x) => [(x.labels[0].value as { value: string }).value, x.values]), [['a', [1, NaN, NaN]], ['b', [NaN, 1, 2]], ['c', [2, 4, 1]]]);
  });
});
