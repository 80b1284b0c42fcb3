import assert from 'node:assert/strict';
import { decodeTraceRequest } from '../../../pipeline/otlp/decode-trace-request.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import type { Ingester } from '../../../backend/ingester/ingester.ts';
import { makeBatch, spanNumbers, spansOf, traceIdOf } from '../wal/fixtures/make-batch.ts';
import { blockSpans, fakeWriteBlock, makeHarness, type Harness } from './fixtures/ingester-harness.ts';

function pushSpans(ingester: Ingester, trace: number, count: number, first = 0, service = 'svc'): Promise<void> {
  return ingester.push('t1', makeBatch([{ service, spans: spansOf(trace, count, first, 100) }]));
}

async function found(ingester: Ingester, trace: number, tenant = 't1'): Promise<number[]> {
  const parts = await ingester.findTraceById(tenant, traceIdOf(trace));
  return parts.flatMap((p) => spanNumbers(p)).sort((a, b) => a - b);
}

function numbers(trace: number, count: number, first = 0): number[] {
  return spansOf(trace, count, first).map((s) => s.span);
}

/** Idle period, then the head's maximum age (harness defaults): everything pushed so far is in a block. */
async function flushAll(h: Harness, ingester: Ingester): Promise<void> {
  h.clock += 5_000;
  await ingester.sweep();
  h.clock += 60_000;
  await ingester.sweep();
}

describe('Ingester', () => {
  let h: Harness;
  let ingester: Ingester;
  beforeEach(async () => {
    h = await makeHarness();
    ingester = h.create();
    await ingester.start();
  });
  afterEach(async () => {
    await ingester.shutdown().catch(() => undefined);
    await h.cleanup();
  });

  it('finds a trace by ID as soon as push resolves, and only in its tenant', async () => {
    await pushSpans(ingester, 1, 3);
    assert.deepEqual(await found(ingester, 1), numbers(1, 3));
    assert.deepEqual(await found(ingester, 2), []);
    assert.deepEqual(await found(ingester, 1, 'other'), []);
  });

  it('returns one ResourceSpans per distinct resource and one ScopeSpans per scope', async () => {
    await pushSpans(ingester, 1, 2, 0, 'a');
    await pushSpans(ingester, 1, 2, 2, 'a');
    await pushSpans(ingester, 1, 1, 4, 'b');
    const [part] = await ingester.findTraceById('t1', traceIdOf(1));
    const { resourceSpans } = decodeTraceRequest(part).batch;
    assert.deepEqual(resourceSpans.map((rs) => rs.scopeSpans.map((ss) => ss.spans.length)), [[4], [1]]);
  });

  it('filters parts by time range', async () => {
    await ingester.push('t1', makeBatch([{ service: 's', spans: [{ trace: 1, span: 1, startUnixNano: 1e18, endUnixNano: 1e18 + 5e9 }] }]));
    assert.equal((await ingester.findTraceById('t1', traceIdOf(1), { start: 1e9 + 4, end: 1e9 + 10 })).length, 1);
    assert.equal((await ingester.findTraceById('t1', traceIdOf(1), { start: 1e9 + 6, end: 1e9 + 10 })).length, 0);
  });

  it('moves idle traces to the head and cuts it into a block sorted by trace ID, then deletes their WAL', async () => {
    await pushSpans(ingester, 2, 2);
    await pushSpans(ingester, 1, 3);
    h.clock += 4_999;
    await ingester.sweep();
    h.clock += 1;
    await ingester.sweep();
    assert.equal(h.blocks.length, 0, 'complete traces wait in the head');
    h.clock += 60_000;
    await ingester.sweep();
    assert.equal(h.blocks.length, 1);
    const [block] = h.blocks;
    assert.deepEqual(block.entries.map((e) => [Buffer.from(e.traceId).readUInt32BE(12), e.spanCount]), [[1, 3], [2, 2]]);
    assert.deepEqual(spanNumbers(block.entries[0].trace), numbers(1, 3));
    assert.equal(block.entries[0].startUnixNano, 1.7e18);
    assert.equal(block.entries[0].endUnixNano, 1.7e18 + 1e6);
    assert.deepEqual(h.announced.map((m) => m.blockID), [block.meta.blockID]);
    assert.deepEqual(await found(ingester, 1), []);
    assert.deepEqual(await h.walFiles(), []);
  });

  it('starts a new live trace for spans that arrive after their trace went to the head', async () => {
    await pushSpans(ingester, 1, 3);
    h.clock += 5_000;
    await ingester.sweep();
    h.clock += 59_000;
    await pushSpans(ingester, 1, 1, 3);
    h.clock += 1_000;
    await ingester.sweep();
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 3));
    assert.deepEqual(await found(ingester, 1), numbers(1, 1, 3));
    assert.equal((await h.walFiles()).length, 1, 'the live span keeps its segment');
    await flushAll(h, ingester);
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 4));
    assert.deepEqual(await h.walFiles(), []);
  });

  it('cuts the head when its span bytes reach maxBlockBytes', async () => {
    await ingester.shutdown();
    ingester = h.create({ maxBlockBytes: 1_500 });
    await ingester.start();
    // 12 traces of two ~175-byte spans: two full heads of 5 traces, 2 traces left over.
    for (let t = 1; t <= 12; t++) await pushSpans(ingester, t, 2);
    h.clock += 5_000;
    await ingester.sweep();
    assert.equal(h.blocks.length, 2);
    for (const block of h.blocks) assert.ok(block.meta.size >= 1_500, `block of ${block.meta.size} bytes`);
    h.clock += 60_000;
    await ingester.sweep();
    assert.equal(h.blocks.length, 3);
    const traces = h.blocks.flatMap((b) => b.entries.map((e) => Buffer.from(e.traceId).readUInt32BE(12)));
    assert.deepEqual(traces.sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('moves a trace that keeps growing to the head at maxBlockDuration, and cuts a head by age', async () => {
    await ingester.shutdown();
    ingester = h.create({ maxBlockDurationMs: 20_000 });
    await ingester.start();
    for (let i = 0; i < 5; i++) {
      await pushSpans(ingester, 1, 1, i);
      h.clock += 4_000;
      await ingester.sweep();
    }
    // t = 20 s: the trace was never idle, but is as old as a block may be.
    assert.equal(h.blocks.length, 0);
    await ingester.sweep();
    assert.equal(h.blocks.length, 0, 'the head starts its own age now');
    h.clock += 19_999;
    await ingester.sweep();
    assert.equal(h.blocks.length, 0);
    h.clock += 1;
    await ingester.sweep();
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 5));
  });

  it('returns every span of a trace split over a flushed block, the head and live data', async () => {
    await pushSpans(ingester, 1, 2, 0);
    await flushAll(h, ingester);
    await pushSpans(ingester, 1, 2, 2);
    h.clock += 5_000;
    await ingester.sweep();
    await pushSpans(ingester, 1, 2, 4);
    assert.equal(h.blocks.length, 1);
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 2, 0));
    assert.deepEqual(await found(ingester, 1), numbers(1, 4, 2));
  });

  it('reads a trace whose spans lie in many WAL segments, and deletes them all once flushed', async () => {
    await ingester.shutdown();
    ingester = h.create({ walSegmentBytes: 1_000 });
    await ingester.start();
    for (let i = 0; i < 12; i++) {
      await pushSpans(ingester, 1, 1, i);
      await pushSpans(ingester, 2, 2, i * 2);
    }
    assert.ok((await h.walFiles()).length >= 12);
    assert.deepEqual(await found(ingester, 1), numbers(1, 12));
    await flushAll(h, ingester);
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 12));
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(2), spanNumbers), numbers(2, 24));
    assert.deepEqual(await h.walFiles(), []);
  });

  it('keeps serving a trace from the WAL until its block is announced', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let announced!: (spans: number[]) => void;
    const seenWhenAnnounced = new Promise<number[]>((resolve) => (announced = resolve));
    await ingester.shutdown();
    ingester = h.create({
      onBlockFlushed: async () => {
        announced(await found(ingester, 1));
        await gate;
      },
    });
    await ingester.start();
    await pushSpans(ingester, 1, 3);
    h.clock += 5_000;
    await ingester.sweep();
    h.clock += 60_000;
    const flushed = ingester.sweep();
    try {
      assert.deepEqual(await found(ingester, 1), numbers(1, 3), 'while the block is written');
      assert.deepEqual(await seenWhenAnnounced, numbers(1, 3), 'when it is announced');
      assert.deepEqual(await found(ingester, 1), numbers(1, 3), 'until the announcement returns');
    } finally {
      release();
    }
    await flushed;
    assert.deepEqual(await found(ingester, 1), []);
  });

  it('recovers every span after an unclean stop, as live traces', async () => {
    for (let t = 1; t <= 20; t++) await pushSpans(ingester, t, 3);
    await flushAll(h, ingester);
    await pushSpans(ingester, 1, 2, 3);
    await pushSpans(ingester, 21, 2);
    // No shutdown: the process "died". A new ingester starts on the same WAL.
    ingester = h.create();
    await ingester.start();
    assert.deepEqual(await found(ingester, 1), numbers(1, 2, 3));
    assert.deepEqual(await found(ingester, 21), numbers(1, 2).map((n) => n - 100_000 + 21 * 100_000));
    await ingester.shutdown();
    for (let t = 1; t <= 21; t++) {
      const expected = t === 1 ? numbers(1, 5) : numbers(t, t === 21 ? 2 : 3);
      assert.deepEqual(blockSpans(h.blocks, traceIdOf(t), spanNumbers), expected, `trace ${t}`);
    }
  });

  it('retries a failed flush with backoff and drops nothing', async () => {
    await ingester.shutdown();
    let failures = 2;
    const write = fakeWriteBlock(h.blocks);
    ingester = h.create({
      writeBlock: async (store, options) => {
        if (failures-- > 0) throw new RetryableError('store down');
        return write(store, options);
      },
    });
    await ingester.start();
    await pushSpans(ingester, 1, 3);
    await flushAll(h, ingester);
    assert.equal(h.blocks.length, 1);
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 3));
    const metric = await h.metrics.getSingleMetric('tracelake_ingester_flush_failures_total')!.get();
    assert.equal(metric.values[0].value, 2);
  });

  it('flushes everything on shutdown, leaves an empty WAL and then refuses pushes', async () => {
    await pushSpans(ingester, 1, 3);
    await pushSpans(ingester, 2, 1);
    const stopping = ingester.shutdown();
    assert.equal(ingester.shutdown(), stopping);
    await stopping;
    assert.deepEqual(await h.walFiles(), []);
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(1), spanNumbers), numbers(1, 3));
    assert.deepEqual(blockSpans(h.blocks, traceIdOf(2), spanNumbers), numbers(2, 1));
    await assert.rejects(pushSpans(ingester, 3, 1), RetryableError);
  });

  it('keeps the WAL when shutdown cannot flush, for the next start to replay', async () => {
    await ingester.shutdown();
    ingester = h.create({ writeBlock: async () => { throw new RetryableError('store down'); } });
    await ingester.start();
    await pushSpans(ingester, 1, 3);
    await assert.rejects(ingester.shutdown(), /could not be flushed/);
    assert.equal((await h.walFiles()).length, 1);
    ingester = h.create();
    await ingester.start();
    assert.deepEqual(await found(ingester, 1), numbers(1, 3));
  });

  it('refuses pushes with RetryableError once it holds too many traces', async () => {
    await ingester.shutdown();
    ingester = h.create({ maxTraces: 2 });
    await ingester.start();
    await pushSpans(ingester, 1, 1);
    await pushSpans(ingester, 2, 1);
    await assert.rejects(pushSpans(ingester, 3, 1), RetryableError);
    await flushAll(h, ingester);
    await pushSpans(ingester, 3, 1);
    assert.deepEqual(await found(ingester, 3), numbers(3, 1));
  });

  it('reports live traces, WAL bytes and flushed blocks as metrics', async () => {
    await pushSpans(ingester, 1, 2);
    await ingester.sweep();
    const text = await h.metrics.metrics();
    assert.match(text, /tracelake_ingester_live_traces 1/);
    assert.match(text, /tracelake_ingester_wal_bytes_written_total [1-9]\d*/);
    await flushAll(h, ingester);
    const after = await h.metrics.metrics();
    assert.match(after, /tracelake_ingester_blocks_flushed_total\{tenant="t1"\} 1/);
    assert.match(after, /tracelake_ingester_bytes_written_total [1-9]\d*/);
    assert.match(after, /tracelake_ingester_live_traces 0/);
  });
});
