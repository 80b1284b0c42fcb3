import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { zstdFrames } from '../../../pipeline/kafka/zstd-frames.ts';

function frame(data: Buffer, checksum = false): Buffer {
  return zstdCompressSync(data, { params: { [constants.ZSTD_c_checksumFlag]: checksum ? 1 : 0 } });
}

describe('zstdFrames', () => {
  it('finds the end of frames made of raw, RLE and compressed blocks, with and without checksum', () => {
    const parts = [
      randomBytes(300_000), // several raw blocks
      Buffer.alloc(400_000, 7), // RLE blocks
      Buffer.from('span '.repeat(50_000)), // compressed blocks
      Buffer.from(''),
    ];
    const frames = parts.map((data, i) => frame(data, i % 2 === 0));
    const found = zstdFrames(Buffer.concat(frames));
    assert.equal(found.length, frames.length);
    found.forEach((f, i) => {
      assert.equal(Buffer.compare(f, frames[i]!), 0);
      assert.equal(Buffer.compare(zstdDecompressSync(f), parts[i]!), 0);
    });
  });

  it('skips skippable frames', () => {
    const skippable = Buffer.alloc(8 + 5);
    skippable.writeUInt32LE(0x184d2a53, 0);
    skippable.writeUInt32LE(5, 4);
    const data = frame(Buffer.from('after the skippable frame'));
    const found = zstdFrames(Buffer.concat([skippable, data]));
    assert.equal(found.length, 1);
    assert.equal(zstdDecompressSync(found[0]!).toString(), 'after the skippable frame');
  });

  it('throws on a truncated frame and on bytes that are not zstd', () => {
    const data = frame(randomBytes(200_000));
    assert.throws(() => zstdFrames(data.subarray(0, data.length - 10)));
    assert.throws(() => zstdFrames(Buffer.from('not zstd at all')), /not a zstd frame/);
  });
});
