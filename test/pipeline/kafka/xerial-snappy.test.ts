import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import snappy from 'snappyjs';
import { snappyDecompress, xerialSnappyCompress } from '../../../pipeline/kafka/xerial-snappy.ts';

const HEADER = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1];

function records(bytes: number): Buffer {
  let s = '';
  for (let i = 0; s.length < bytes; i++) s += `span-${i % 97} service=${i % 13} attr=${(i * 7919) % 1000}\n`;
  return Buffer.from(s.slice(0, bytes));
}

/** The raw Snappy blocks of a xerial stream, in order. */
function blocksOf(framed: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 16; at < framed.length;) {
    const length = framed.readUInt32BE(at);
    blocks.push(framed.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return blocks;
}

describe('xerialSnappyCompress / snappyDecompress', () => {
  it('round-trips empty, small, multi-block and incompressible inputs', () => {
    for (const input of [Buffer.alloc(0), Buffer.from('a'), records(100_000), randomBytes(40_000)]) {
      assert.deepEqual(snappyDecompress(xerialSnappyCompress(input)), input, `${input.length} bytes`);
    }
  });

  it('writes the xerial header (magic, version 1, compatible version 1) and nothing else for empty input', () => {
    const framed = xerialSnappyCompress(Buffer.alloc(0));
    assert.deepEqual([...framed], HEADER);
    assert.deepEqual([...xerialSnappyCompress(Buffer.from('x')).subarray(0, 16)], HEADER);
  });

  it('cuts input into 32 KiB blocks, each a big-endian length and a raw Snappy block', () => {
    const input = records(80_000);
    const blocks = blocksOf(xerialSnappyCompress(input));
    assert.equal(blocks.length, 3);
    const parts = blocks.map((b) => snappy.uncompress(b));
    assert.deepEqual(parts.map((p) => p.length), [32_768, 32_768, 80_000 - 65_536]);
    assert.deepEqual(Buffer.concat(parts), input);
  });

  it('reads raw unframed Snappy, as franz-go, librdkafka and sarama write it', () => {
    const input = records(50_000);
    assert.deepEqual(snappyDecompress(snappy.compress(input)), input);
  });

  it('reads concatenated xerial streams (the header repeated between blocks)', () => {
    const joined = Buffer.concat([xerialSnappyCompress(Buffer.from('first,')), xerialSnappyCompress(Buffer.from('second'))]);
    assert.equal(snappyDecompress(joined).toString(), 'first,second');
  });

  it('refuses a truncated stream', () => {
    const framed = xerialSnappyCompress(records(10_000));
    assert.throws(() => snappyDecompress(framed.subarray(0, framed.length - 5)), /runs past the end/);
    assert.throws(() => snappyDecompress(framed.subarray(0, 18)), /truncated/);
  });
});
