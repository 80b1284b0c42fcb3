import assert from 'node:assert/strict';
import type { BlockMeta, TraceEntry } from '../../../backend/block/block-meta.ts';
import { RetryableError, TracelakeError } from '../../../pipeline/errors.ts';
import { scanBlock, overlaps, type ScanStats } from '../../../backend/search/scan-block.ts';
import { traceResult } from '../../../backend/search/trace-result.ts';
import type { TimeRange } from '../../../backend/querier/trace-source.ts';
import { evaluate, type TraceMatch } from '../../../backend/traceql/evaluate.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';
import { makeTempStore, RecordingStore, type TempStore } from '../block/block-fixtures.ts';
import { randomQueries } from './random-queries.ts';
import { scanEntries, storedTraces, writeScanBlock } from './scan-corpus.ts';

const FIXED_QUERIES = [
  '{}',
  '{ span.http.status_code = 503 }',
  '{ resource.service.name = "x" }',
  '{ resource.service.name = "x" && duration > 10ms }',
  '{ .service.name = "x" }',
  '{ .foo = "bar" }',
  '{ .foo != "bar" }',
  '{ span.foo = nil }',
  '{ span.foo != nil }',
  '{ span.http.status_code = 503.0 }',
  '{ span.http.status_code >= 500 && span.http.status_code < 504 }',
  '{ span.ratio > 3 }',
  '{ span.ratio = 3 }',
  '{ span.retry = true }',
  '{ span.retry }',
  '{ !span.retry }',
  '{ span.http.status_code = "503" }',
  '{ name =~ "GET.*" }',
  '{ name !~ "GET.*" }',
  '{ "GET /cart" = name }',
  '{ 503 = span.http.status_code }',
  '{ status = error } | count() > 1',
  '{ status = error } | count() = 0',
  '{ status != error }',
  '{ statusMessage = "boom" }',
  '{ statusMessage = "" }',
  '{ kind = server }',
  '{ kind = client || name = "render" }',
  '{ span.http.status_code = 503 } && { resource.service.name = "db" }',
  '{ span.http.status_code = 503 } || { span.foo = "qux" }',
  '{ resource.service.name = "frontend" } > { resource.service.name = "db" }',
  '{ resource.service.name = "frontend" } !> { resource.service.name = "db" }',
  '{ resource.service.name = "frontend" } &>> { status = error }',
  '{ name = "SELECT" } ~ { name = "render" }',
  '{ span.foo = "baz" } | by(resource.service.name) | count() > 1',
  '{ span.http.status_code = 404 } | select(span.foo)',
  '({ span.foo = "bar" } | count() > 1) && { kind = server }',
  '{ span.str = "héllo ✓" }',
  '{ span.int.max > 0 }',
  '{ span.dbl.price = 19.99 }',
  '{ span.array = "a" }',
  '{ span.kvlist != nil }',
  '{ span.bytes != nil }',
  '{ span.no.value = nil }',
  '{ span.odd != nil }',
  '{ name = "from another trace" }',
  '{ rootServiceName = "x" && span.http.status_code = 503 }',
  '{ traceDuration > 3ms && span.http.status_code = 404 }',
  '{ duration > 2ms * 5 }',
  '{ name = "wrap" && duration > 1s }',
  '{ name = "wrap" && duration < 0 }',
  '{ name = "wrap" && duration = 1ns }',
  '{ duration > 1000000h }',
  '{ span.missing = 1 }',
  '{ event:name = "exception" && span.http.status_code = 503 }',
  '{ instrumentation.scope.attr = -1 }',
];

/** The matches of the reference engine over the decoded stored traces, as the search answers show them. */
function reference(traces: readonly TraceModel[], q: string, range?: TimeRange): unknown[] {
  const query = parseQuery(q);
  return traces.filter((t) => overlaps(t, range)).flatMap((t) => evaluate(query, [t])).map(shown);
}

function shown(m: TraceMatch): unknown {
  return traceResult(m, 1000);
}

async function scanned(store: TempStore['store'] | RecordingStore, meta: BlockMeta, q: string, range?: TimeRange): Promise<{ matches: unknown[]; stats: ScanStats }> {
  const matches: unknown[] = [];
  const stats = await scanBlock(store, meta, { query: parseQuery(q), ...(range === undefined ? {} : { range }) }, (m) => {
    matches.push(shown(m));
  });
  return { matches, stats };
}

describe('scanBlock', () => {
  let tmp: TempStore;
  let entries: TraceEntry[];
  let tl2: BlockMeta;
  let tl1: BlockMeta;
  let traces: TraceModel[];

  before(async () => {
    tmp = await makeTempStore();
    entries = scanEntries(1500, 7);
    tl2 = await writeScanBlock(tmp.store, entries, '00000000-0000-0000-0000-000000000002', 'tl2', 16 * 1024);
    tl1 = await writeScanBlock(tmp.store, entries, '00000000-0000-0000-0000-000000000001', 'tl1');
    traces = await storedTraces(tmp.store, tl2);
  });
  after(() => tmp.dispose());

  it('finds exactly the reference engine\'s matches for every fixed query form', async () => {
    for (const q of FIXED_QUERIES) {
      const { matches } = await scanned(tmp.store, tl2, q);
      assert.deepEqual(matches, reference(traces, q), q);
    }
  });

  it('finds exactly the reference engine\'s matches for random queries', async () => {
    let nonEmpty = 0;
    for (const q of randomQueries(250, 11)) {
      const expected = reference(traces, q);
      if (expected.length > 0) nonEmpty++;
      const { matches } = await scanned(tmp.store, tl2, q);
      assert.deepEqual(matches, expected, q);
    }
    assert.ok(nonEmpty > 60, `only ${nonEmpty} random queries matched anything`);
  });

  it('gives the same matches over a tl1 block of the same traces', async () => {
    for (const q of FIXED_QUERIES.slice(0, 8)) {
      assert.deepEqual((await scanned(tmp.store, tl1, q)).matches, (await scanned(tmp.store, tl2, q)).matches, q);
    }
  });

  it('leaves out traces outside the time range, as the reference does', async () => {
    const starts = entries.map((e) => e.startUnixNano).sort((a, b) => a - b);
    const range = { start: Math.floor(starts[200] / 1e9), end: Math.floor(starts[900] / 1e9) };
    for (const q of ['{}', '{ span.http.status_code = 503 }', '{ resource.service.name = "x" && duration > 10ms }']) {
      const { matches } = await scanned(tmp.store, tl2, q, range);
      const expected = reference(traces, q, range);
      assert.ok(expected.length > 0 && expected.length < reference(traces, q).length, q);
      assert.deepEqual(matches, expected, q);
    }
  });

  it('counts the spans and traces of every row group in range and the bytes it read', async () => {
    const recording = new RecordingStore(tmp.store);
    const { stats } = await scanned(recording, tl2, '{}');
    assert.equal(stats.inspectedTraces, entries.length);
    assert.equal(stats.inspectedSpans, entries.reduce((n, e) => n + e.spanCount, 0));
    assert.ok(stats.inspectedBytes >= tl2.size, `${stats.inspectedBytes} < ${tl2.size}`);
  });

  it('reads less of the block when the filter columns rule traces out', async () => {
    // Without traces kept as bytes: those are always candidates, and their row group is read whole.
    const big = await writeScanBlock(tmp.store, scanEntries(1500, 7, false), '00000000-0000-0000-0000-000000000003', 'tl2');
    const all = (await scanned(tmp.store, big, '{}')).stats.inspectedBytes;
    const none = await scanned(tmp.store, big, '{ span.http.status_code = 999 }');
    assert.deepEqual(none.matches, []);
    assert.ok(none.stats.inspectedBytes < all / 2, `${none.stats.inspectedBytes} of ${all}`);
    const absent = await scanned(tmp.store, big, '{ span.missing = 1 }');
    assert.ok(absent.stats.inspectedBytes < none.stats.inspectedBytes, `${absent.stats.inspectedBytes} vs ${none.stats.inspectedBytes}`);
  });

  it('reads and parses a block\'s index once for repeated scans', async () => {
    const recording = new RecordingStore(tmp.store);
    const first = await scanned(recording, tl2, '{ span.foo = "bar" }');
    const second = await scanned(recording, tl2, '{ span.foo = "bar" }');
    assert.equal(recording.count(`get t/${tl2.blockID}/index`), 1);
    assert.deepEqual(second.matches, first.matches);
    assert.ok(second.stats.inspectedBytes < first.stats.inspectedBytes);
  });

  it('skips a row group lacking a required attribute column without reading its data', async () => {
    const recording = new RecordingStore(tmp.store);
    const { matches } = await scanned(recording, tl2, '{ span.missing = 1 } || { span.also.missing = "x" }');
    assert.deepEqual(matches, []);
    // Only row groups with traces or spans kept as bytes are read (those are always candidates).
    assert.ok(recording.count(`getRange t/${tl2.blockID}/data`) <= 2, recording.calls.join('\n'));
  });

  it('names the block when its data is damaged, and asks for a retry when it is gone', async () => {
    const copy = await writeScanBlock(tmp.store, entries.slice(0, 300), '00000000-0000-0000-0000-000000000004', 'tl2');
    const key = `t/${copy.blockID}/data`;
    const data = await tmp.store.get(key);
    await tmp.store.put(key, data.map((b, i) => (i > 20 && i < data.length - 20 ? b ^ 0x5a : b)));
    await assert.rejects(scanned(tmp.store, copy, '{}'), (err: Error) => err instanceof TracelakeError && err.message.startsWith(`block t/${copy.blockID}: object data is corrupt`));
    await tmp.store.delete(key);
    await assert.rejects(scanned(tmp.store, copy, '{}'), RetryableError);
  });

  it('stops when onMatch returns true', async () => {
    let calls = 0;
    await scanBlock(tmp.store, tl2, { query: parseQuery('{}') }, () => ++calls >= 3);
    assert.equal(calls, 3);
  });

  it('stops with the abort reason when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await assert.rejects(scanBlock(tmp.store, tl2, { query: parseQuery('{}') }, () => undefined, controller.signal), /gone/);
  });
});
