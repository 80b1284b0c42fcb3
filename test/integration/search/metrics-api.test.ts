import assert from 'node:assert/strict';
import { removeDir, TracelakeProcess } from '../tracelake-process.ts';
import { referenceMean, referenceQuantile, referenceSlot, referenceTimestamps } from '../../backend/metrics/metrics-corpus.ts';

/** One span sent, and what the reference needs of it. */
interface SentSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly error: boolean;
  readonly code: number;
  readonly startNs: bigint;
  readonly durationNs: number;
}

const SERVICES = ['api', 'db', 'web'];
const STEP = 60;

/** 60 traces of 1–4 spans, a span every ~7 s over 6 minutes from `anchor` (seconds), some on whole minutes. */
function corpus(anchor: number): SentSpan[] {
  const out: SentSpan[] = [];
  for (let t = 0; t < 60; t++) {
    const traceId = `e${(t + 1).toString(16).padStart(31, '0')}`;
    for (let s = 0; s <= t % 4; s++) {
      const n = out.length;
      const offsetMs = n % 11 === 0 ? 60_000 * (n % 6) : n * 7_013 % 360_000;
      out.push({
        traceId, spanId: (n + 1).toString(16).padStart(16, '0'), service: SERVICES[(t + s) % 3], error: n % 4 === 0,
        code: 200 + (n % 3) * 100, startNs: BigInt(anchor) * 1_000_000_000n + BigInt(offsetMs) * 1_000_000n,
        durationNs: 1_000_000 + ((n * 7919) % 900) * 1_000_000,
      });
    }
  }
  return out;
}

function otlpJson(spans: readonly SentSpan[]): unknown {
  return {
    resourceSpans: SERVICES.map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'metrics-test' },
        spans: spans.filter((s) => s.service === service).map((s) => ({
          traceId: s.traceId, spanId: s.spanId, name: 'op', kind: 2,
          startTimeUnixNano: String(s.startNs), endTimeUnixNano: String(s.startNs + BigInt(s.durationNs)),
          attributes: [{ key: 'http.status_code', value: { intValue: String(s.code) } }],
          status: s.error ? { code: 2 } : {},
        })),
      }],
    })),
  };
}

interface RangeBody {
  series?: { labels: { key: string; value: Record<string, unknown> }[]; promLabels: string; samples: { timestampMs: string; value?: number }[] }[];
  metrics: Record<string, unknown>;
}

describe('GET /api/metrics/query_range and /api/metrics/query on a real process, live and from blocks', function () {
  this.timeout(120_000);
  const anchor = Math.floor(Date.now() / 1000 / STEP) * STEP - 3600;
  const spans = corpus(anchor);
  const start = anchor + 5;
  const end = anchor + 305;
  const timestamps = referenceTimestamps(start, end, STEP);
  let proc: TracelakeProcess | undefined;

  before(async function () {
    proc = await TracelakeProcess.start({ ingester: { trace_idle_period: '30s', max_block_duration: '5m' } });
    const res = await fetch(proc.otlpHttpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
    assert.equal(res.status, 200, await res.text());
  });

  after(async function () {
    if (proc === undefined) return;
    await proc.stop('SIGKILL');
    await removeDir(proc.dir);
  });

  async function get(path: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
    const res = await fetch(proc!.apiUrl(`${path}?${new URLSearchParams(params).toString()}`));
    return { status: res.status, text: await res.text() };
  }

  async function range(q: string): Promise<RangeBody> {
    const res = await get('/api/metrics/query_range', { q, start: String(start), end: String(end), step: `${STEP}s` });
    assert.equal(res.status, 200, res.text);
    return JSON.parse(res.text) as RangeBody;
  }

  /** promLabels → per reference timestamp value, from spans grouped by `group` (0 where none when `zeros`). */
  function reference(keep: (s: SentSpan) => boolean, group: (s: SentSpan) => string, reduce: (v: SentSpan[]) => number, zeros: boolean): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    const cells = new Map<string, SentSpan[]>();
    for (const s of spans) {
      const slot = referenceSlot(s.startNs, timestamps, STEP * 1000);
      if (!keep(s) || slot === undefined) continue;
      const key = `${group(s)}\n${slot}`;
      cells.set(key, [...(cells.get(key) ?? []), s]);
      out[group(s)] ??= {};
    }
    for (const g of Object.keys(out)) {
      for (const t of timestamps) {
        const cell = cells.get(`${g}\n${t}`);
        if (cell !== undefined) out[g][String(t)] = reduce(cell);
        else if (zeros) out[g][String(t)] = 0;
      }
    }
    return out;
  }

  function values(body: RangeBody): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const s of body.series ?? []) out[s.promLabels] = Object.fromEntries(s.samples.map((x) => [x.timestampMs, x.value ?? 0]));
    return out;
  }

  function checks(phase: string): void {
    it(`counts spans per service and interval as the reference (${phase})`, async function () {
      const body = await range('{} | count_over_time() by (resource.service.name)');
      assert.deepEqual(values(body), reference(() => true, (s) => `{"resource.service.name"="${s.service}"}`, (v) => v.length, true));
      const first = body.series![0]!;
      assert.deepEqual(first.labels, [{ key: 'resource.service.name', value: { stringValue: 'api' } }]);
      assert.equal(typeof first.samples[0]!.timestampMs, 'string');
      assert.ok(body.series!.some((s) => s.samples.some((x) => !('value' in x))), 'zero samples carry no value');
    });

    it(`gives the error rate per second under {__name__="rate"} (${phase})`, async function () {
      const body = await range('{ status = error } | rate()');
      assert.deepEqual(values(body), reference((s) => s.error, () => '{__name__="rate"}', (v) => v.length / STEP, true));
      const exemplars = (body.series![0] as { exemplars?: { labels: { key: string; value: { stringValue: string } }[] }[] }).exemplars ?? [];
      assert.ok(exemplars.length > 0, 'exemplars');
      for (const e of exemplars) assert.ok(spans.some((s) => s.error && s.traceId === e.labels[0]!.value.stringValue), 'exemplar links to an error trace');
    });

    it(`averages an int attribute and takes duration quantiles as Tempo interpolates them (${phase})`, async function () {
      const avg = await range('{} | avg_over_time(span.http.status_code) by (resource.service.name)');
      // Tempo's running mean depends on the order spans arrive in (trace order within a block), so the last bit may differ.
      const expectedAvg = reference(() => true, (s) => `{"resource.service.name"="${s.service}"}`, (v) => referenceMean(v.map((s) => s.code)), false);
      const gotAvg = values(avg);
      assert.deepEqual(Object.keys(gotAvg).sort(), Object.keys(expectedAvg).sort());
      for (const [k, row] of Object.entries(expectedAvg)) {
        assert.deepEqual(Object.keys(gotAvg[k]!), Object.keys(row));
        for (const [t, v] of Object.entries(row)) assert.ok(Math.abs(gotAvg[k]![t]! - v) < 1e-9, `${k} at ${t}`);
      }
      const q = await range('{ resource.service.name = "api" } | quantile_over_time(duration, .9)');
      const bound = (s: SentSpan): number => 2 ** Math.ceil(Math.log2(s.durationNs)) / 1e9;
      const expected = reference((s) => s.service === 'api', () => '{p="0.9"}', (v) => referenceQuantile(0.9, v.map(bound)), false);
      const got = values(q)['{p="0.9"}']!;
      for (const t of timestamps) assert.ok(Math.abs((got[String(t)] ?? NaN) - (expected['{p="0.9"}']![String(t)] ?? 0)) < 1e-12, `p90 at ${t}`);
    });

    it(`answers an instant query with one value per series (${phase})`, async function () {
      const res = await get('/api/metrics/query', { query: '{} | count_over_time() by (resource.service.name)', start: String(start), end: String(end) });
      assert.equal(res.status, 200, res.text);
      const body = JSON.parse(res.text) as { series: { promLabels: string; value?: number }[] };
      const lo = BigInt(start) * 1_000_000_000n;
      const hi = BigInt(end) * 1_000_000_000n;
      for (const service of SERVICES) {
        const series = body.series.find((s) => s.promLabels === `{"resource.service.name"="${service}"}`)!;
        assert.equal(series.value, spans.filter((s) => s.service === service && s.startNs > lo && s.startNs <= hi).length);
      }
    });

    it(`answers 400 for a search query, bad TraceQL, and a metrics query sent to search (${phase})`, async function () {
      const notMetrics = await get('/api/metrics/query_range', { q: '{ status = error }', start: String(start), end: String(end) });
      assert.deepEqual(notMetrics, { status: 400, text: 'not a metrics query' });
      const bad = await get('/api/metrics/query_range', { q: '{ .a = } | rate()', start: String(start), end: String(end) });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /^parse error at line 1, col 8: /);
      const reversed = await get('/api/metrics/query', { q: '{} | rate()', start: String(end), end: String(start) });
      assert.deepEqual(reversed, { status: 400, text: 'end must be greater than start' });
      const search = await get('/api/search', { q: '{} | rate()' });
      assert.equal(search.status, 400);
    });
  }

  describe('while the spans are live', function () {
    checks('live');

    it('decodes Grafana\'s Go encoding (+ for spaces) and nanosecond bounds', async function () {
      const q = encodeURIComponent('{} | rate()').replace(/%20/g, '+');
      const res = await fetch(proc!.apiUrl(`/api/metrics/query_range?q=${q}&start=${start}000000000&end=${end}000000000&step=60`));
      assert.equal(res.status, 200);
      const body = (await res.json()) as RangeBody;
      assert.equal(body.series![0]!.promLabels, '{__name__="rate"}');
      assert.deepEqual(body.series![0]!.samples.map((x) => Number(x.timestampMs)), timestamps);
    });
  });

  describe('after a restart, from blocks', function () {
    before(async function () {
      await proc!.stop('SIGTERM');
      proc = await proc!.restart({ ingester: { trace_idle_period: '30s', max_block_duration: '5m' } });
    });

    it('reads the spans from blocks', async function () {
      const body = await range('{} | count_over_time()');
      assert.ok(Number(body.metrics.totalBlocks) >= 1, JSON.stringify(body.metrics));
      assert.equal(body.metrics.inspectedSpans, String(spans.length));
    });

    checks('blocks');
  });
});
