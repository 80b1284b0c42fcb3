import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TraceEntry } from '../../../backend/block/block-meta.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { BlockList } from '../../../backend/db/block-list.ts';
import { BlockSearchSource } from '../../../backend/querier/block-search-source.ts';
import type { TimeRange } from '../../../backend/querier/trace-source.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { makeRequest, spanNumbers, traceIdOf } from '../wal/fixtures/make-batch.ts';

function entry(trace: number, startUnixNano: number): TraceEntry {
  const bytes = makeRequest([{ service: 's', spans: [{ trace, span: trace, startUnixNano, endUnixNano: startUnixNano + 1e6 }] }]);
  return { traceId: traceIdOf(trace), trace: bytes, startUnixNano, endUnixNano: startUnixNano + 1e6, spanCount: 1 };
}

describe('BlockSearchSource', () => {
  let dir: string;
  let store: LocalObjectStore;
  const blocks = new BlockList();

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tracelake-block-search-'));
    store = new LocalObjectStore(dir);
    for (const [blockID, tenantID, entries] of [
      ['00000000-0000-0000-0000-000000000001', 't1', [entry(1, 1e18), entry(2, 1e18 + 1e9)]],
      ['00000000-0000-0000-0000-000000000002', 't1', [entry(3, 2e18)]],
      ['00000000-0000-0000-0000-000000000003', 't2', [entry(4, 1e18)]],
    ] as const) {
      blocks.add(await writeBlock(store, { tenantID, blockID, entries: [...entries], bloomFalsePositive: 0.01 }));
    }
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function spans(tenant: string, range?: TimeRange): Promise<number[]> {
    const out: number[] = [];
    await new BlockSearchSource({ blocks, store }).searchCandidates(tenant, range, (id, trace) => {
      // Each entry's one span is numbered as its trace: the ID handed over is the trace's own.
      assert.deepEqual(spanNumbers(trace), [Buffer.from(id).readUInt32BE(12)]);
      out.push(...spanNumbers(trace));
    });
    return out.sort((a, b) => a - b);
  }

  it('hands over every trace of every block of the tenant', async () => {
    assert.deepEqual(await spans('t1'), [1, 2, 3]);
    assert.deepEqual(await spans('t2'), [4]);
  });

  it('opens only the blocks whose time range overlaps the search range', async () => {
    assert.deepEqual(await spans('t1', { start: 2e9 - 5, end: 2e9 + 5 }), [3]);
    assert.deepEqual(await spans('t1', { start: 1e9, end: 1e9 + 100 }), [1, 2]);
  });
});
