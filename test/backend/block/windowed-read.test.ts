import assert from 'node:assert/strict';
import { windowedRead } from '../../../backend/block/windowed-read.ts';

describe('windowedRead', function () {
  const data = Uint8Array.from({ length: 100 }, (_, i) => i);
  const reads: [number, number][] = [];
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    reads.push([offset, length]);
    return data.slice(offset, offset + length);
  };

  beforeEach(() => {
    reads.length = 0;
  });

  it('serves forward reads from one window per request, bounded by the object size', async function () {
    const windowed = windowedRead(read, data.length, 40);
    assert.deepEqual([...await windowed(10, 5)], [10, 11, 12, 13, 14]);
    assert.deepEqual([...await windowed(30, 20)], Array.from({ length: 20 }, (_, i) => 30 + i));
    assert.deepEqual([...await windowed(70, 30)], Array.from({ length: 30 }, (_, i) => 70 + i));
    assert.deepEqual([...await windowed(90, 5)], [90, 91, 92, 93, 94]);
    assert.deepEqual(reads, [[10, 40], [70, 30]]);
  });

  it('reads a range at least a window long directly, and shares a window still being fetched', async function () {
    const windowed = windowedRead(read, data.length, 40);
    await windowed(0, 50);
    const [a, b] = await Promise.all([windowed(50, 4), windowed(60, 4)]);
    assert.deepEqual([[...a], [...b]], [[50, 51, 52, 53], [60, 61, 62, 63]]);
    assert.deepEqual(reads, [[0, 50], [50, 40]]);
  });
});
