import assert from 'node:assert/strict';
import { parseInstantRequest, parseQueryRangeRequest } from '../../../backend/metrics/metrics-request.ts';
import { queryInstantResponse, type QueryRangeResponseJson } from '../../../backend/metrics/metrics-response.ts';
import {
  BASE_SECONDS, corpusSource, generateCorpus, referenceQuantile, referenceSlot, referenceTimestamps, type CorpusSpan,
} from './metrics-corpus.ts';
import { localMetrics } from './local-metrics.ts';

const STEP = 60;
const START = BASE_SECONDS;
const END = BASE_SECONDS + 600;
const corpus = generateCorpus(400);
const metrics = localMetrics({ live: [corpusSource(corpus)] });
const TIMESTAMPS = referenceTimestamps(START, END, STEP);

type Table = Map<string, Map<number, number>>;

async function queryRange(q: string, extra: Record<string, string> = {}): Promise<QueryRangeResponseJson> {
  const params = new URLSearchParams({ q, start: String(START), end: String(END), step: `${STEP}s`, ...extra });
  return metrics.queryRange('single-tenant', parseQueryRangeRequest(params));
}

/** promLabels → timestamp → value, from an answer (a missing `value` is 0). */
function table(res: QueryRangeResponseJson): Table {
  const out: Table = new Map();
  for (const s of res.series ?? []) out.set(s.promLabels, new Map(s.samples.map((x) => [Number(x.timestampMs), x.value ?? 0])));
  return out;
}

/**
 * The reference: spans passing `keep` grouped by `group` and slot, reduced by `reduce` (slots with no value
 * left out unless `zeros`, where every slot of a group appears, as Tempo does for counts).
 */
function reference(
  keep: (s: CorpusSpan) => boolean, group: (s: CorpusSpan) => string | undefined,
  reduce: (values: CorpusSpan[]) => number | undefined, zeros: boolean,
): Table {
  const groups = new Map<string, Map<number, CorpusSpan[]>>();
  for (const s of corpus.spans) {
    const slot = referenceSlot(s.start, TIMESTAMPS, STEP * 1000);
    const g = group(s);
    if (!keep(s) || slot === undefined || g === undefined) continue;
    let bySlot = groups.get(g);
    if (bySlot === undefined) groups.set(g, (bySlot = new Map()));
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), s]);
  }
  const out: Table = new Map();
  for (const [g, bySlot] of groups) {
    const row = new Map<number, number>();
    for (const t of TIMESTAMPS) {
      const v = bySlot.has(t) ? reduce(bySlot.get(t)!) : undefined;
      if (v !== undefined) row.set(t, v);
      else if (zeros) row.set(t, 0);
    }
    if (row.size > 0) out.set(g, row);
  }
  return out;
}

function assertClose(actual: Table, expected: Table): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [k, row] of expected) {
    const got = actual.get(k)!;
    assert.deepEqual([...got.keys()], [...row.keys()], `timestamps of ${k}`);
    for (const [t, v] of row) assert.ok(Math.abs(got.get(t)! - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${k} at ${t}: ${got.get(t)} != ${v}`);
  }
}

const service = (s: CorpusSpan): string => `{"resource.service.name"="${s.service}"}`;
const seconds = (s: CorpusSpan): number => s.durationNanos / 1e9;

describe('TraceMetrics', () => {
  it('counts spans per service and interval, 0 where none (count_over_time)', async () => {
    const res = await queryRange('{} | count_over_time() by (resource.service.name)');
    assertClose(table(res), reference(() => true, service, (v) => v.length, true));
    const api = res.series!.find((s) => s.promLabels === '{"resource.service.name"="api"}')!;
    assert.deepEqual(api.labels, [{ key: 'resource.service.name', value: { stringValue: 'api' } }]);
    assert.equal(api.samples[0].timestampMs, String(TIMESTAMPS[0]));
  });

  it('gives spans per second of step under {__name__="rate"} without by()', async () => {
    const res = await queryRange('{ status = error } | rate()');
    assertClose(table(res), reference((s) => s.status === 2, () => '{__name__="rate"}', (v) => v.length / STEP, true));
    assert.deepEqual(res.series![0].labels, [{ key: '__name__', value: { stringValue: 'rate' } }]);
  });

  it('sums, averages and bounds an int attribute, leaving out empty intervals', async () => {
    const byName = (s: CorpusSpan): string => `{name="${s.name}"}`;
    const sizes = (v: CorpusSpan[]): number[] => v.flatMap((s) => (s.size === undefined ? [] : [s.size]));
    const cases: [string, (v: number[]) => number][] = [
      ['sum_over_time', (v) => v.reduce((a, b) => a + b, 0)],
      ['avg_over_time', (v) => v.reduce((a, b) => a + b, 0) / v.length],
      ['min_over_time', (v) => Math.min(...v)],
      ['max_over_time', (v) => Math.max(...v)],
    ];
    for (const [fn, f] of cases) {
      const res = await queryRange(`{} | ${fn}(span.size) by (name)`);
      assertClose(table(res), reference(() => true, byName, (v) => (sizes(v).length === 0 ? undefined : f(sizes(v))), false));
    }
  });

  it('measures duration in seconds', async () => {
    const res = await queryRange('{ status != error } | max_over_time(duration) by (resource.service.name)');
    assertClose(table(res), reference((s) => s.status !== 2, service, (v) => Math.max(...v.map(seconds)), false));
  });

  it('interpolates quantiles over power-of-two duration buckets, labelled p', async () => {
    const res = await queryRange('{} | quantile_over_time(duration, .5, .9, 1) by (resource.service.name)');
    const bound = (s: CorpusSpan): number => 2 ** Math.ceil(Math.log2(s.durationNanos)) / 1e9;
    const expected: Table = new Map();
    for (const [p, text] of [[0.5, '0.5'], [0.9, '0.9'], [1, '1.0']] as const) {
      const ref = reference((s) => s.durationNanos >= 2, (s) => `{p="${text}", "resource.service.name"="${s.service}"}`,
        (v) => referenceQuantile(p, v.map(bound)), false);
      for (const [k, row] of ref) expected.set(k, new Map(TIMESTAMPS.map((t) => [t, row.get(t) ?? 0])));
    }
    assertClose(table(res), expected);
    const p9 = res.series!.find((s) => s.promLabels.startsWith('{p="0.9"'))!;
    assert.deepEqual(p9.labels[1], { key: 'p', value: { doubleValue: 0.9 } });
  });

  it('counts spans per power-of-two bucket, labelled __bucket in seconds', async () => {
    const res = await queryRange('{} | histogram_over_time(duration)');
    const bucket = (s: CorpusSpan): string | undefined =>
      (s.durationNanos < 2 ? undefined : `{__bucket="${2 ** Math.ceil(Math.log2(s.durationNanos)) / 1e9}"}`);
    assertClose(table(res), reference(() => true, bucket, (v) => v.length, true));
  });

  it('answers an instant query with one value per series over (start, end]', async () => {
    const params = new URLSearchParams({ q: '{} | count_over_time() by (resource.service.name)', start: String(START + 7), end: String(END - 7) });
    const res = queryInstantResponse(await metrics.queryRange('single-tenant', parseInstantRequest(params)));
    const lo = BigInt(START + 7) * 1_000_000_000n;
    const hi = BigInt(END - 7) * 1_000_000_000n;
    for (const name of ['api', 'db', 'web']) {
      const expected = corpus.spans.filter((s) => s.service === name && s.start > lo && s.start <= hi).length;
      const got = res.series!.find((s) => s.promLabels === `{"resource.service.name"="${name}"}`)!;
      assert.equal(got.value, expected);
    }
    assert.equal(res.metrics.totalJobs, 1);
  });

  it('links exemplars to traces, valued as their interval for counts, at most `exemplars`', async () => {
    const res = await queryRange('{} | count_over_time() by (resource.service.name)', { exemplars: '6' });
    const all = res.series!.flatMap((s) => (s.exemplars ?? []).map((e) => ({ s, e })));
    assert.ok(all.length > 0 && all.length <= 6, `${all.length} exemplars`);
    for (const { s, e } of all) {
      const traceId = (e.labels[0].value as { stringValue: string }).stringValue;
      assert.equal(e.labels[0].key, 'trace:id');
      const service = (s.labels[0].value as { stringValue: string }).stringValue;
      const span = corpus.spans.find((x) => x.traceId.replace(/^0+/, '') === traceId && x.service === service && String(x.start / 1_000_000n) === e.timestampMs);
      assert.ok(span !== undefined, `exemplar ${traceId} at ${e.timestampMs} is a span of ${service}`);
      const slot = referenceSlot(span.start, TIMESTAMPS, STEP * 1000)!;
      assert.equal(e.value ?? 0, s.samples.find((x) => x.timestampMs === String(slot))!.value ?? 0);
    }
    const many = await queryRange('{} | count_over_time()');
    const times = many.series![0].exemplars!.map((e) => Number(e.timestampMs));
    assert.ok(times.length <= 100 && times.length > 6);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  it('values quantile exemplars by the measured duration', async () => {
    const res = await queryRange('{} | quantile_over_time(duration, .5, .99)', { exemplars: '10' });
    const exemplars = res.series!.flatMap((s) => s.exemplars ?? []);
    assert.ok(exemplars.length > 0);
    for (const e of exemplars) {
      const traceId = (e.labels[0].value as { stringValue: string }).stringValue;
      assert.ok(corpus.spans.some((x) => x.traceId.replace(/^0+/, '') === traceId && x.durationNanos / 1e9 === (e.value ?? 0)));
    }
  });

  it('answers no series key when nothing matches', async () => {
    const res = await queryRange('{ name = "nothing" } | rate()');
    assert.equal(res.series, undefined);
    assert.ok(res.metrics.inspectedTraces! > 0 && res.metrics.inspectedTraces! <= corpus.traces.length);
  });
});
