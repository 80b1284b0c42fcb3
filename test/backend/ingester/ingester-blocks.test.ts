import assert from 'node:assert/strict';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import type { Ingester } from '../../../backend/ingester/ingester.ts';
import { makeBatch, spanNumbers, spansOf, traceIdOf, type ResourceSpec } from '../wal/fixtures/make-batch.ts';
import { makeHarness, type Harness } from './fixtures/ingester-harness.ts';

describe('Ingester with the block layer', () => {
  let h: Harness;
  let ingester: Ingester;
  const metas: BlockMeta[] = [];
  beforeEach(async () => {
    metas.length = 0;
    h = await makeHarness();
    ingester = h.create({ writeBlock, onBlockFlushed: (meta) => { metas.push(meta); } });
    await ingester.start();
  });
  afterEach(async () => {
    await ingester.shutdown();
    await h.cleanup();
  });

  async function inBlocks(trace: number): Promise<number[]> {
    const reader = new BlockReader(h.store);
    const spans: number[] = [];
    for (const meta of metas) {
      const bytes = await reader.findTrace(meta, traceIdOf(trace));
      if (bytes) spans.push(...spanNumbers(bytes));
    }
    return spans.sort((a, b) => a - b);
  }

  it('writes blocks that the block reader finds every span of interleaved traces in', async () => {
    // 200 traces of 6 spans, each trace's spans spread over 3 batches from 2 services.
    for (let round = 0; round < 3; round++) {
      const resources: ResourceSpec[] = ['a', 'b'].map((service, s) => ({
        service,
        spans: Array.from({ length: 200 }, (_, t) => spansOf(t + 1, 1, round * 2 + s, 150)[0]),
      }));
      await ingester.push('t1', makeBatch(resources));
    }
    await ingester.shutdown();
    assert.deepEqual(await h.walFiles(), []);
    assert.equal(metas.reduce((n, m) => n + m.totalSpans, 0), 1200);
    for (const trace of [1, 77, 200]) {
      assert.deepEqual(await inBlocks(trace), spansOf(trace, 6).map((s) => s.span), `trace ${trace}`);
    }
  });

  it('serves a trace whole from a block plus the WAL parts', async () => {
    await ingester.push('t1', makeBatch([{ service: 'a', spans: spansOf(1, 2, 0) }]));
    h.clock += 5_000;
    await ingester.sweep();
    h.clock += 60_000;
    await ingester.sweep();
    await ingester.push('t1', makeBatch([{ service: 'a', spans: spansOf(1, 2, 2) }]));
    h.clock += 5_000;
    await ingester.sweep();
    await ingester.push('t1', makeBatch([{ service: 'b', spans: spansOf(1, 1, 4) }]));
    const [part] = await ingester.findTraceById('t1', traceIdOf(1));
    const all = [...await inBlocks(1), ...spanNumbers(part)].sort((a, b) => a - b);
    assert.deepEqual(all, spansOf(1, 5).map((s) => s.span));
  });
});
