import assert from 'node:assert/strict';
import { blockObjectKey, DATA_NAME, INDEX_NAME } from '../../../backend/block/block-layout.ts';
import { decodeColumns } from '../../../backend/block/row-group-data.ts';
import { COALESCE_GAP_BYTES, RowGroupFrames } from '../../../backend/block/row-group-frames.ts';
import { RowGroupIndex, type RowGroupRef } from '../../../backend/block/row-group-index.ts';
import { scanEntries, writeScanBlock } from '../search/scan-corpus.ts';
import { makeTempStore, type TempStore } from './block-fixtures.ts';

describe('RowGroupFrames', () => {
  let tmp: TempStore;
  let group: RowGroupRef;
  let data: Uint8Array;
  const reads: [number, number][] = [];
  const read = async (offset: number, length: number) => {
    reads.push([offset, length]);
    return data.subarray(offset, offset + length);
  };

  before(async () => {
    tmp = await makeTempStore();
    const meta = await writeScanBlock(tmp.store, scanEntries(3000, 5, false), '00000000-0000-0000-0000-00000000000f', 'tl2');
    group = new RowGroupIndex(await tmp.store.get(blockObjectKey('t', meta.blockID, INDEX_NAME))).group(0);
    data = await tmp.store.get(blockObjectKey('t', meta.blockID, DATA_NAME));
  });
  after(() => tmp.dispose());
  beforeEach(() => {
    reads.length = 0;
  });

  it('gives the same column bytes as decoding the whole row group', async () => {
    const frames = new RowGroupFrames(read, group);
    await frames.load();
    const whole = decodeColumns(data.subarray(group.offset, group.offset + group.length), group);
    assert.deepEqual([...frames.columns()].map(([n, b]) => [n, Buffer.from(b)]), [...whole].map(([n, b]) => [n, Buffer.from(b)]));
    assert.equal(frames.bytesRead, group.length);
    assert.equal(reads.length, 1, 'adjacent frames in one read');
  });

  it('reads only the frames of the named columns, then only the ones still missing', async () => {
    const frames = new RowGroupFrames(read, group);
    await frames.load(new Set(['span.name', 'no such column']));
    const nameFrame = group.columns.find((c) => c.name === 'span.name')!.frame;
    assert.deepEqual(reads, [[group.offset + group.frames[nameFrame].offset, group.frames[nameFrame].length]]);
    assert.deepEqual(new Set(group.columns.filter((c) => c.frame === nameFrame).map((c) => c.name)), new Set(frames.columns().keys()));
    await frames.load(new Set(['span.name']));
    assert.equal(reads.length, 1);
    await frames.load();
    assert.equal(frames.columns().size, group.columns.length);
    assert.ok(frames.bytesRead >= group.length - group.frames[nameFrame].length);
  });

  it('fetches frames less than the gap apart in one read', async () => {
    const far = group.frames.findIndex((f, i) => i > 0 && f.offset - (group.frames[0].offset + group.frames[0].length) > COALESCE_GAP_BYTES);
    const names = (frame: number) => group.columns.filter((c) => c.frame === frame).map((c) => c.name);
    await new RowGroupFrames(read, group).load(new Set([...names(0), ...names(1)]));
    assert.equal(reads.length, 1);
    assert.ok(far > 0, 'the row group has frames further apart than the gap');
    reads.length = 0;
    await new RowGroupFrames(read, group).load(new Set([...names(0), ...names(far)]));
    assert.equal(reads.length, 2);
  });
});
