import assert from 'node:assert/strict';
import { SearchCombiner } from '../../../backend/search/search-combiner.ts';
import { ROOT_NOT_RECEIVED, type SpanSetJson, type TraceResultJson } from '../../../backend/search/trace-result.ts';

const S = 1_700_000_000n * 1_000_000_000n;

function spanSet(matched: number, spanIds: string[], by?: string): SpanSetJson {
  return {
    spans: spanIds.map((spanID) => ({ spanID, startTimeUnixNano: String(S), durationNanos: '1' })),
    matched,
    ...(by === undefined ? {} : { attributes: [{ key: 'by(resource.service.name)', value: { stringValue: by } }] }),
  };
}

function trace(id: string, startOffsetNs: bigint, extra: Partial<TraceResultJson> = {}): TraceResultJson {
  return { traceID: id, rootServiceName: ROOT_NOT_RECEIVED, rootTraceName: ROOT_NOT_RECEIVED, startTimeUnixNano: String(S + startOffsetNs), ...extra };
}

describe('SearchCombiner', function () {
  it('merges two parts of one trace as Tempo does: root from the part holding it, earliest start, longest duration', function () {
    const c = new SearchCombiner(10, false);
    c.add({
      traces: [trace('a', 500n, { durationMs: 3, spanSets: [spanSet(2, ['01', '02'])], serviceStats: { api: { spanCount: 2, errorCount: 1 } } })],
      inspectedTraces: 4, inspectedBytes: 100,
    });
    c.add({
      traces: [trace('a', 100n, {
        rootServiceName: 'api', rootTraceName: 'GET /', durationMs: 7, spanSets: [spanSet(1, ['03'])], serviceStats: { api: { spanCount: 1 }, db: { spanCount: 1 } },
      })],
      inspectedTraces: 2, inspectedBytes: 50,
    });
    const res = c.response(3);
    assert.equal(res.traces!.length, 1);
    const a = res.traces![0]!;
    assert.deepEqual([a.rootServiceName, a.rootTraceName, a.startTimeUnixNano, a.durationMs], ['api', 'GET /', String(S + 100n), 7]);
    assert.deepEqual(a.spanSets, [spanSet(2, ['01', '02'])], 'the span set that matched more spans is kept');
    assert.deepEqual(a.spanSet, a.spanSets![0]);
    assert.deepEqual(a.serviceStats, { api: { spanCount: 2, errorCount: 1 }, db: { spanCount: 1 } });
    assert.deepEqual(res.metrics, { inspectedTraces: 6, inspectedBytes: '150', completedJobs: 2, totalJobs: 3 });
  });

  it('keeps span sets of different by() values apart and keeps the root unknown when no part held it', function () {
    const c = new SearchCombiner(10, false);
    c.add({ traces: [trace('a', 0n, { spanSets: [spanSet(1, ['01'], 'api')] })], inspectedTraces: 1, inspectedBytes: 1 });
    c.add({ traces: [trace('a', 0n, { spanSets: [spanSet(3, ['02'], 'db'), spanSet(2, ['03'], 'api')] })], inspectedTraces: 1, inspectedBytes: 1 });
    const a = c.response(2).traces![0]!;
    assert.deepEqual(a.spanSets, [spanSet(2, ['03'], 'api'), spanSet(3, ['02'], 'db')]);
    assert.equal(a.rootServiceName, ROOT_NOT_RECEIVED);
  });

  it('answers the newest limit traces', function () {
    const c = new SearchCombiner(2, false);
    c.add({ traces: [trace('old', 1n), trace('new', 3n)], inspectedTraces: 2, inspectedBytes: 1 });
    c.add({ traces: [trace('mid', 2n)], inspectedTraces: 1, inspectedBytes: 1 });
    assert.deepEqual(c.response(2).traces!.map((t) => t.traceID), ['new', 'mid']);
  });

  it('is complete once it holds limit traces, jobs pending or not (Tempo\'s default)', function () {
    const c = new SearchCombiner(2, false);
    c.add({ traces: [trace('a', 5_000_000_000n)], inspectedTraces: 1, inspectedBytes: 1 });
    assert.equal(c.completeFor(Infinity), false);
    c.add({ traces: [trace('a', 4_000_000_000n)], inspectedTraces: 1, inspectedBytes: 1 });
    assert.equal(c.completeFor(Infinity), false, 'two parts of one trace are one trace');
    c.add({ traces: [trace('b', 3_000_000_000n)], inspectedTraces: 1, inspectedBytes: 1 });
    assert.equal(c.completeFor(Infinity), true);
  });

  it('is complete for the most recent once limit traces start after the pending jobs\' end, never while the live job is pending', function () {
    const c = new SearchCombiner(2, true);
    c.add({ traces: [trace('a', 5_000_000_000n), trace('b', 3_000_000_000n)], inspectedTraces: 2, inspectedBytes: 1 });
    assert.equal(c.completeFor(Infinity), false);
    assert.equal(c.completeFor(1_700_000_004), false, 'b starts before a pending job ends');
    assert.equal(c.completeFor(1_700_000_002), true);
    assert.equal(c.completeFor(-Infinity), true);
    assert.equal(new SearchCombiner(3, true).completeFor(-Infinity), false, 'fewer than limit traces: not complete before every job is done');
  });
});
