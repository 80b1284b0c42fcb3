import assert from 'node:assert/strict';
import { zstdDecompressSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { registerCompressionCodecs } from '../../../pipeline/kafka/compression-codecs.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

function zstd(): Codec {
  return (CompressionCodecs as unknown as Record<number, () => Codec>)[CompressionTypes.ZSTD]!();
}

describe('registerCompressionCodecs', () => {
  before(() => registerCompressionCodecs());

  it('round-trips records through the ZSTD codec kafkajs looks up', async () => {
    const records = Buffer.from('record batch body '.repeat(200));
    const compressed = await zstd().compress({ buffer: records });
    assert.ok(compressed.length < records.length / 5);
    assert.deepEqual(await zstd().decompress(compressed), records);
  });

  it('writes a plain zstd frame (magic 28 b5 2f fd), as Kafka expects', async () => {
    const compressed = await zstd().compress({ buffer: Buffer.from('hello kafka') });
    assert.deepEqual([...compressed.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
    assert.equal(zstdDecompressSync(compressed).toString(), 'hello kafka');
  });

  it('reads several concatenated frames, as a stream compressor may write them', async () => {
    const { zstdCompressSync } = await import('node:zlib');
    const frames = Buffer.concat([zstdCompressSync(Buffer.from('first,')), zstdCompressSync(Buffer.from('second'))]);
    assert.equal((await zstd().decompress(frames)).toString(), 'first,second');
  });

  it('is idempotent', () => {
    registerCompressionCodecs();
    registerCompressionCodecs();
    assert.equal(typeof zstd().compress, 'function');
  });
});
