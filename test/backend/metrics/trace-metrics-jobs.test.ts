import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { TraceEntry } from '../../../backend/block/block-meta.ts';
import { compareTraceIds } from '../../../backend/block/trace-id.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { BlockList } from '../../../backend/db/block-list.ts';
import { LiveIntervals } from '../../../backend/metrics/live-intervals.ts';
import { metricsBlocks } from '../../../backend/metrics/metrics-blocks.ts';
import { localMetricsRunner } from '../../../backend/metrics/metrics-live.ts';
import { TraceMetrics } from '../../../backend/metrics/trace-metrics.ts';
import { metricsJobJson, metricsWorkParams, parseMetricsJobJson, parseMetricsWorkParams } from '../../../backend/metrics/metrics-job-json.ts';
import { parseQueryRangeRequest } from '../../../backend/metrics/metrics-request.ts';
import type { QueryRangeResponseJson } from '../../../backend/metrics/metrics-response.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import { localMetrics } from './local-metrics.ts';
import { BASE_SECONDS, corpusSource, generateCorpus, type Corpus } from './metrics-corpus.ts';

const TENANT = 't';
const BLOCKS = 4;
const corpus = generateCorpus(400, 11);
const QUERIES = [
  '{} | count_over_time() by (resource.service.name)', '{ status = error } | rate()', '{} | sum_over_time(span.size) by (name)',
  '{} | avg_over_time(span.size) by (resource.service.name)', '{} | min_over_time(duration)', '{} | max_over_time(span.size) by (name)',
  '{} | quantile_over_time(duration, .5, .9) by (resource.service.name)', '{} | histogram_over_time(duration)',
];

function request(q: string, exemplars = '100') {
  return parseQueryRangeRequest(new URLSearchParams({ q, start: String(BASE_SECONDS), end: String(BASE_SECONDS + 600), step: '60s', exemplars }));
}

function entry(t: Corpus['traces'][number]): TraceEntry {
  const model = traceModel(t.bytes);
  return { traceId: Buffer.from(t.id, 'hex'), trace: t.bytes, spanCount: model.spans.length, startUnixNano: Number(model.startUnixNano), endUnixNano: Number(model.endUnixNano) };
}

/** Series as promLabels → samples; values compared to 1e-9 (merged means and sums may differ in the last bits). */
function assertSameSeries(actual: QueryRangeResponseJson, expected: QueryRangeResponseJson, what: string): void {
  const rows = (r: QueryRangeResponseJson) => new Map((r.series ?? []).map((s) => [s.promLabels, s.samples]));
  const a = rows(actual);
  const e = rows(expected);
  assert.deepEqual([...a.keys()], [...e.keys()], what);
  for (const [k, samples] of e) {
    const got = a.get(k)!;
    assert.deepEqual(got.map((s) => s.timestampMs), samples.map((s) => s.timestampMs), `${what} ${k}`);
    samples.forEach((s, i) => {
      const [x, y] = [got[i]!.value ?? 0, s.value ?? 0];
      assert.ok(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)), `${what} ${k} at ${s.timestampMs}: ${x} != ${y}`);
    });
  }
}

describe('TraceMetrics in jobs', function () {
  this.timeout(30_000);
  let dir: string;
  let store: LocalObjectStore;
  const list = new BlockList();
  const signal = new AbortController().signal;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'tracelake-metrics-jobs-'));
    store = new LocalObjectStore(dir);
    const per = Math.ceil(corpus.traces.length / BLOCKS);
    for (let b = 0; b < BLOCKS; b++) {
      const entries = corpus.traces.slice(b * per, (b + 1) * per).map(entry).sort((x, y) => compareTraceIds(x.traceId, y.traceId));
      list.add(await writeBlock(store, { tenantID: TENANT, blockID: `00000000-0000-0000-0000-${String(b).padStart(12, '0')}`, entries, bloomFalsePositive: 0.01 }));
    }
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('merges block jobs into what one pass over the same spans gives, whatever the split', async function () {
    const single = localMetrics({ live: [corpusSource(corpus)] });
    const perBlock = localMetrics({ blocks: { list, store }, targetBytesPerJob: 1, concurrentJobs: 3 });
    const oneJob = localMetrics({ blocks: { list, store }, targetBytesPerJob: 1e12 });
    for (const q of QUERIES) {
      const expected = await single.queryRange(TENANT, request(q));
      const split = await perBlock.queryRange(TENANT, request(q));
      assertSameSeries(split, expected, q);
      assertSameSeries(await oneJob.queryRange(TENANT, request(q)), expected, q);
      assert.deepEqual([split.metrics.totalJobs, split.metrics.completedJobs, split.metrics.totalBlocks], [BLOCKS, BLOCKS, BLOCKS]);
      assert.equal(split.metrics.inspectedSpans, String(corpus.spans.length));
    }
  });

  it('counts a span once when the live job and a block both hold it', async function () {
    // The first 250 traces are still live and also in blocks (flushed while the query ran); the rest only in blocks.
    const live = corpusSource({ traces: corpus.traces.slice(0, 250), spans: [] });
    const both = localMetrics({ live: [live], blocks: { list, store }, targetBytesPerJob: 1 });
    const single = localMetrics({ live: [corpusSource(corpus)] });
    for (const q of QUERIES) assertSameSeries(await both.queryRange(TENANT, request(q)), await single.queryRange(TENANT, request(q)), q);
    const res = await both.queryRange(TENANT, request(QUERIES[0]!));
    assert.equal(res.metrics.totalJobs, BLOCKS + 1);
  });

  it('counts blocks flushed while the query ran, and not blocks compacted meanwhile', async function () {
    const flushed = generateCorpus(60, 12);
    const write = async (id: number, traces: Corpus['traces'], compactionLevel: number) => writeBlock(store, {
      tenantID: TENANT, blockID: `00000000-0000-0000-0001-${String(id).padStart(12, '0')}`, bloomFalsePositive: 0.01, compactionLevel,
      entries: traces.map(entry).sort((x, y) => compareTraceIds(x.traceId, y.traceId)),
    });
    const late = [await write(1, flushed.traces, 0), await write(2, corpus.traces.slice(0, 100), 1)];
    let plans = 0;
    const metrics = new TraceMetrics({
      planner: { live: false, blocks: async () => [...list.forTenant(TENANT), ...(plans++ > 0 ? late : [])] },
      runner: localMetricsRunner([], async (blocks, work, s) => metricsBlocks(store, blocks, work, s)),
      settings: { concurrentJobs: 2, targetBytesPerJob: 1, queryTimeoutMs: 30_000 }, logger: pino({ level: 'silent' }),
    });
    const q = '{} | count_over_time() by (name)';
    const withFlushed = new BlockList();
    for (const meta of [...list.forTenant(TENANT), late[0]!]) withFlushed.add(meta);
    const expected = await localMetrics({ blocks: { list: withFlushed, store } }).queryRange(TENANT, request(q));
    const got = await metrics.queryRange(TENANT, request(q));
    assertSameSeries(got, expected, q);
    assert.equal(got.metrics.totalBlocks, BLOCKS + 1);
  });

  it('keeps exemplars within the budget, one per trace, the same for any order of jobs', async function () {
    const q = '{} | count_over_time()';
    const a = await localMetrics({ blocks: { list, store }, targetBytesPerJob: 1, concurrentJobs: 1 }).queryRange(TENANT, request(q, '10'));
    const b = await localMetrics({ blocks: { list, store }, targetBytesPerJob: 1, concurrentJobs: 4 }).queryRange(TENANT, request(q, '10'));
    const exemplars = a.series![0]!.exemplars!;
    assert.ok(exemplars.length > 0 && exemplars.length <= 10, `${exemplars.length}`);
    const ids = exemplars.map((e) => (e.labels[0]!.value as { stringValue: string }).stringValue);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(b.series![0]!.exemplars, exemplars);
  });

  it('holds back block spans in the live intervals only, and crosses JSON unchanged', async function () {
    const req = request('{} | min_over_time(span.size) by (name)');
    const all = await metricsBlocks(store, list.forTenant(TENANT), { request: req, live: LiveIntervals.NONE }, signal);
    assert.equal(all.held.length, 0);
    const held = await metricsBlocks(store, list.forTenant(TENANT), { request: req, live: LiveIntervals.of([2, 3]) }, signal);
    assert.ok(held.held.length > 0 && held.held.every((h) => h.interval === 2 || h.interval === 3));
    assert.ok(held.held.every((h) => /^[0-9a-f]{32}:[0-9a-f]{16}$/.test(h.key)), held.held[0]?.key);
    const text = metricsJobJson(held);
    assert.match(text, /"\$num":"Infinity"/);
    const back = parseMetricsJobJson(text);
    assert.equal(metricsJobJson(back), text);
    assert.deepEqual(back.series.map((s) => s.mins), held.series.map((s) => s.mins));
    assert.ok(back.series.some((s) => s.mins.includes(Infinity)));
    const work = parseMetricsWorkParams(new URLSearchParams(metricsWorkParams({ request: req, live: LiveIntervals.of([2, 3]) })));
    assert.deepEqual([work.request.grid, work.request.text, work.request.exemplars, work.live.text()], [req.grid, req.text, req.exemplars, '2-3']);
  });
});

describe('LiveIntervals', () => {
  it('covers the given intervals with ranges that read back from text', () => {
    const live = LiveIntervals.of([7, 3, 4, 5, 9, 4]);
    assert.equal(live.text(), '3-5,7,9');
    assert.deepEqual([2, 3, 5, 6, 7, 8, 9, 10].map((i) => live.has(i)), [false, true, true, false, true, false, true, false]);
    assert.equal(LiveIntervals.parse(live.text())!.text(), '3-5,7,9');
    assert.equal(LiveIntervals.parse('1-x'), undefined);
  });

  it('joins the closest ranges beyond 64, never dropping an interval', () => {
    const intervals = Array.from({ length: 100 }, (_, i) => i * 3 + (i % 2));
    const live = LiveIntervals.of(intervals);
    assert.ok(live.text().split(',').length <= 64);
    assert.ok(intervals.every((i) => live.has(i)));
  });
});
