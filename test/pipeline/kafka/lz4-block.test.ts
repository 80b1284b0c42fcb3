import assert from 'node:assert/strict';
import { lz4BlockBound, lz4CompressBlock, lz4DecompressBlock, lz4HashTable, Lz4Output } from '../../../pipeline/kafka/lz4-block.ts';

/** Deterministic input with repeats close to the end, where the end-of-block rules bite. */
function sample(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i > 8 && rnd() < 0.3 ? out[i - 1 - Math.floor(rnd() * 8)]! : Math.floor(rnd() * 4);
  return out;
}

/** Output positions where each match starts, and the number of literals at the end, read off the sequences. */
function layout(block: Uint8Array): { matchStarts: number[]; lastLiterals: number } {
  const matchStarts: number[] = [];
  let out = 0;
  for (let i = 0; ;) {
    const token = block[i++]!;
    let literals = token >> 4;
    if (literals === 15) for (let b = 255; b === 255; literals += b) b = block[i++]!;
    i += literals;
    out += literals;
    if (i === block.length) return { matchStarts, lastLiterals: literals };
    i += 2;
    let length = token & 15;
    if (length === 15) for (let b = 255; b === 255; length += b) b = block[i++]!;
    matchStarts.push(out);
    out += length + 4;
  }
}

describe('lz4CompressBlock', () => {
  it('round-trips and keeps the end-of-block rules: last match 12+ bytes before the end, last 5 bytes literals', () => {
    const table = lz4HashTable();
    for (const n of [0, 5, 12, 13, 14, 40, 1000, 65_536]) {
      for (let seed = 1; seed <= 20; seed++) {
        const input = sample(n, seed);
        const dst = new Uint8Array(lz4BlockBound(n));
        const block = dst.subarray(0, lz4CompressBlock(input, dst, table));
        const out = new Lz4Output(0);
        lz4DecompressBlock(block, { start: 0, end: block.length, limit: 65_536 }, out);
        assert.deepEqual(out.bytes.subarray(0, out.length), input, `n=${n} seed=${seed}`);
        const { matchStarts, lastLiterals } = layout(block);
        if (n >= 13) assert.ok(lastLiterals >= 5, `n=${n} seed=${seed}: ${lastLiterals} last literals`);
        for (const start of matchStarts) assert.ok(n - start >= 12, `n=${n} seed=${seed}: a match starts ${n - start} bytes before the end`);
        if (n === 65_536) assert.ok(matchStarts.length > 0 && block.length < n, `it does compress: ${block.length}`);
      }
    }
  });
});
