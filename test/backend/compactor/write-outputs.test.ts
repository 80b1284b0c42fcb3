import assert from 'node:assert/strict';
import { BlockIterator } from '../../../backend/block/block-iterator.ts';
import { writeBlockMeta } from '../../../backend/block/write-block-meta.ts';
import { writeOutputs } from '../../../backend/compactor/write-outputs.ts';
import { expectedSpans, liveBlocks, makeTempDir, NOW, spansByTrace, traces, writeTestBlock, type TempDir } from './compactor-fixtures.ts';

describe('writeOutputs', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => tmp.dispose());

  it('cuts outputs at max_block_bytes into blocks of disjoint, ascending trace ID ranges', async () => {
    const inputs = [];
    for (let b = 0; b < 3; b++) inputs.push(await writeTestBlock(tmp.store, { blockID: `in${b}`, traces: traces(b * 100, 150, NOW - 600_000, 3, b) }));
    const written = await writeOutputs({
      store: tmp.store, tenant: 't1', inputs: await Promise.all(inputs.map((m) => BlockIterator.open(tmp.store, m))),
      outputId: (i) => `out${i}`, level: 1, maxBlockBytes: 6 * 1024, zstdLevel: 3, pageSize: 2048, bloomFalsePositive: 0.01,
    });
    assert.ok(written.metas.length >= 3, `${written.metas.length} outputs`);
    assert.deepEqual(written.metas.map((m) => m.blockID), written.metas.map((_, i) => `out${i}`));
    for (let i = 1; i < written.metas.length; i++) assert.ok(written.metas[i - 1].maxID < written.metas[i].minID);
    for (const meta of written.metas) {
      assert.ok(meta.size < 6 * 1024 + 2048, `${meta.blockID}: ${meta.size} bytes`);
      assert.equal(meta.compactionLevel, 1);
    }
    // Unpublished until their metas are written; then they hold every span once.
    assert.deepEqual((await liveBlocks(tmp.store)).map((m) => m.blockID), ['in0', 'in1', 'in2']);
    for (const meta of inputs) await tmp.store.delete(`t1/${meta.blockID}/meta.json`);
    for (const meta of written.metas) await writeBlockMeta(tmp.store, meta);
    const all = [0, 1, 2].flatMap((b) => traces(b * 100, 150, 0, 3, b));
    assert.deepEqual(await spansByTrace(tmp.store, 't1', Array.from({ length: 350 }, (_, i) => i)), expectedSpans(all));
    assert.equal(written.inputSpans, 1350);
    assert.equal(written.outputSpans, written.metas.reduce((n, m) => n + m.totalSpans, 0));
  });

  it('steps aside (awaits yieldToIngest) every 256 merged traces', async () => {
    const input = await writeTestBlock(tmp.store, { blockID: 'in0', traces: traces(0, 600, NOW - 600_000, 1, 0) });
    let yields = 0;
    await writeOutputs({
      store: tmp.store, tenant: 't1', inputs: [await BlockIterator.open(tmp.store, input)],
      outputId: (i) => `out${i}`, level: 1, maxBlockBytes: 64 * 1024 * 1024, zstdLevel: 3, bloomFalsePositive: 0.01,
      yieldToIngest: async () => { yields++; },
    });
    assert.equal(yields, 2, '600 traces: after the 256th and the 512th');
  });
});
