import assert from 'node:assert/strict';
import { BlockReader } from '../../../backend/block/block-reader.ts';
import { StreamingBlockWriter } from '../../../backend/block/streaming-block-writer.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { writeBlockMeta } from '../../../backend/block/write-block-meta.ts';
import { PermanentError } from '../../../pipeline/errors.ts';
import { makeEntries, makeTempStore, type TempStore } from './block-fixtures.ts';

describe('StreamingBlockWriter', () => {
  let tmp: TempStore;
  beforeEach(async () => {
    tmp = await makeTempStore();
  });
  afterEach(async () => tmp.dispose());

  it('writes the same objects and meta as writeBlock for the same entries', async () => {
    const entries = makeEntries(1500);
    const options = { tenantID: 't', bloomFalsePositive: 0.01, pageSize: 16 * 1024, zstdLevel: 5, compactionLevel: 2 };
    const expected = await writeBlock(tmp.store, { ...options, blockID: 'a', entries });
    const writer = new StreamingBlockWriter(tmp.store, { ...options, blockID: 'b' });
    for (const e of entries) await writer.add(e);
    const meta = await writer.finish();
    assert.deepEqual({ ...meta, blockID: 'a' }, expected);
    for (const name of ['data', 'index', 'bloom-0']) assert.deepEqual(await tmp.store.get(`t/b/${name}`), await tmp.store.get(`t/a/${name}`), name);
  });

  it('does not publish the block: meta.json is written by writeBlockMeta', async () => {
    const entries = makeEntries(20);
    const writer = new StreamingBlockWriter(tmp.store, { tenantID: 't', blockID: 'b', bloomFalsePositive: 0.01 });
    for (const e of entries) await writer.add(e);
    const meta = await writer.finish();
    assert.deepEqual((await tmp.store.list('t/b/')).sort(), ['t/b/bloom-0', 't/b/data', 't/b/index']);
    await writeBlockMeta(tmp.store, meta);
    assert.deepEqual(await new BlockReader(tmp.store).findTrace(meta, entries[7].traceId), entries[7].trace);
  });

  it('refuses entries out of trace ID order, and an empty block', async () => {
    const [a, b] = makeEntries(2);
    const writer = new StreamingBlockWriter(tmp.store, { tenantID: 't', blockID: 'b', bloomFalsePositive: 0.01 });
    await writer.add(b);
    await assert.rejects(writer.add(a), PermanentError);
    await assert.rejects(writer.add(b), PermanentError);
    writer.close();
    const empty = new StreamingBlockWriter(tmp.store, { tenantID: 't', blockID: 'c', bloomFalsePositive: 0.01 });
    await assert.rejects(empty.finish(), /at least one trace/);
  });
});
