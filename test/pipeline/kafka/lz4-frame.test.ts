import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { lz4FrameCompress, lz4FrameDecompress } from '../../../pipeline/kafka/lz4-frame.ts';
import { xxhash32 } from '../../../pipeline/kafka/xxhash32.ts';

/** `lz4 -BD -BX --content-size` (the reference CLI, v1.9.4) of "tracelake span tracelake span tracelake span!": linked blocks, block and content checksums, content size. */
const REFERENCE_FRAME = '04224d187c402d00000000000000631a000000ff0074726163656c616b65207370616e200f0006507370616e2129fa1444000000000e7d2e41';

/** Text-like records: compressible, but not trivially. */
function records(bytes: number): Buffer {
  let s = '';
  for (let i = 0; s.length < bytes; i++) s += `span-${i % 97} service=${i % 13} attr=${(i * 7919) % 1000}\n`;
  return Buffer.from(s.slice(0, bytes));
}

function frameHeader(flg: number, bd: number): Buffer {
  const descriptor = Buffer.from([flg, bd]);
  return Buffer.from([0x04, 0x22, 0x4d, 0x18, flg, bd, (xxhash32(descriptor) >>> 8) & 0xff]);
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

describe('lz4FrameCompress / lz4FrameDecompress', () => {
  it('round-trips empty, tiny, multi-block and incompressible inputs', () => {
    for (const input of [Buffer.alloc(0), Buffer.from('a'), records(300_000), randomBytes(70_000), Buffer.alloc(65_536, 7)]) {
      assert.deepEqual(lz4FrameDecompress(lz4FrameCompress(input)), input, `${input.length} bytes`);
    }
  });

  it('writes the Java client frame: version 1, independent 64 KiB blocks, no checksums, a valid header checksum', () => {
    const frame = lz4FrameCompress(records(1000));
    assert.deepEqual([...frame.subarray(0, 6)], [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
    assert.equal(frame[6], (xxhash32(frame.subarray(4, 6)) >>> 8) & 0xff);
    assert.deepEqual([...frame.subarray(-4)], [0, 0, 0, 0], 'ends with the end mark, no content checksum');
    assert.ok(frame.length < 500, `compressed ${frame.length} bytes`);
  });

  it('cuts input into 64 KiB blocks and stores a block that does not compress', () => {
    const input = randomBytes(65_536 + 10);
    const frame = lz4FrameCompress(input);
    assert.equal(frame.readUInt32LE(7), (0x80000000 | 65_536) >>> 0, 'first block stored, full size');
    assert.equal(frame.readUInt32LE(7 + 4 + 65_536), (0x80000000 | 10) >>> 0, 'second block stored, the rest');
    assert.equal(frame.length, 7 + 4 + 65_536 + 4 + 10 + 4);
  });

  it('reads a frame of the reference lz4 CLI with content size, block and content checksums', () => {
    const text = lz4FrameDecompress(Buffer.from(REFERENCE_FRAME, 'hex')).toString();
    assert.equal(text, 'tracelake span tracelake span tracelake span!');
  });

  it('reads linked blocks whose matches reach into the block before', () => {
    const frame = Buffer.concat([
      frameHeader(0x40, 0x40),
      u32le(0x80000000 | 10), Buffer.from('0123456789'), // stored block
      u32le(9), Buffer.from([0x06, 0x0a, 0x00, 0x50]), Buffer.from('vwxyz'), // match 10 bytes back, then 5 literals
      u32le(0),
    ]);
    assert.equal(lz4FrameDecompress(frame).toString(), '01234567890123456789vwxyz');
  });

  it('reads concatenated frames and skips skippable frames', () => {
    const skippable = Buffer.concat([u32le(0x184d2a53), u32le(3), Buffer.from('xyz')]);
    const joined = Buffer.concat([lz4FrameCompress(Buffer.from('first,')), skippable, lz4FrameCompress(Buffer.from('second'))]);
    assert.equal(lz4FrameDecompress(joined).toString(), 'first,second');
  });

  it("accepts the header checksum of Kafka before 0.10, which hashed the magic too", () => {
    const frame = lz4FrameCompress(Buffer.from('old broker'));
    frame[6] = (xxhash32(frame.subarray(0, 6)) >>> 8) & 0xff;
    assert.equal(lz4FrameDecompress(frame).toString(), 'old broker');
  });

  it('refuses corrupted frames instead of returning garbage', () => {
    const reference = Buffer.from(REFERENCE_FRAME, 'hex');
    const badContent = Buffer.from(reference);
    badContent[badContent.length - 1]! ^= 1;
    assert.throws(() => lz4FrameDecompress(badContent), /content checksum/);
    const badHeader = lz4FrameCompress(Buffer.from('x'));
    badHeader[6]! ^= 0xff;
    assert.throws(() => lz4FrameDecompress(badHeader), /header checksum/);
    const frame = lz4FrameCompress(records(5000));
    assert.throws(() => lz4FrameDecompress(frame.subarray(0, frame.length - 10)), /truncated|ends inside|past the end/);
    const badOffset = Buffer.concat([frameHeader(0x60, 0x40), u32le(9), Buffer.from([0x10, 0x41, 0x09, 0x00, 0x50]), Buffer.from('vwxyz'), u32le(0)]);
    assert.throws(() => lz4FrameDecompress(badOffset), /offset 9 points before the output/);
    assert.throws(() => lz4FrameDecompress(Buffer.from('not lz4 at all')), /not an lz4 frame/);
  });
});
