import assert from 'node:assert/strict';
import { zstdDecompressSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { registerCompressionCodecs, type KafkaCodec } from '../../../pipeline/kafka/compression-codecs.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs;

function codec(type: number): KafkaCodec {
  return (CompressionCodecs as unknown as Record<number, () => KafkaCodec>)[type]!();
}

const zstd = () => codec(CompressionTypes.ZSTD);

describe('registerCompressionCodecs', () => {
  before(() => registerCompressionCodecs());

  for (const [name, type] of [['Snappy', CompressionTypes.Snappy], ['LZ4', CompressionTypes.LZ4], ['ZSTD', CompressionTypes.ZSTD]] as const) {
    it(`round-trips records through the ${name} codec kafkajs looks up`, async () => {
      const records = Buffer.from('record batch body '.repeat(200));
      const compressed = await codec(type).compress({ buffer: records });
      assert.ok(compressed.length < records.length / 5, `${compressed.length} bytes`);
      assert.deepEqual(await codec(type).decompress(compressed), records);
      assert.deepEqual(await codec(type).decompress(await codec(type).compress({ buffer: Buffer.alloc(0) })), Buffer.alloc(0));
    });
  }

  it('writes Snappy with xerial framing and LZ4 as a frame, as the Java client does', async () => {
    const snappy = await codec(CompressionTypes.Snappy).compress({ buffer: Buffer.from('hello kafka') });
    assert.equal(snappy.subarray(0, 8).toString('latin1'), '\x82SNAPPY\0');
    const lz4 = await codec(CompressionTypes.LZ4).compress({ buffer: Buffer.from('hello kafka') });
    assert.equal(lz4.readUInt32LE(0), 0x184d2204);
  });

  it('writes a plain zstd frame (magic 28 b5 2f fd), as Kafka expects', async () => {
    const compressed = await zstd().compress({ buffer: Buffer.from('hello kafka') });
    assert.deepEqual([...compressed.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
    assert.equal(zstdDecompressSync(compressed).toString(), 'hello kafka');
  });

  it('reads several concatenated zstd frames, as a stream compressor may write them', async () => {
    const { zstdCompressSync } = await import('node:zlib');
    const frames = Buffer.concat([zstdCompressSync(Buffer.from('first,')), zstdCompressSync(Buffer.from('second'))]);
    assert.equal((await zstd().decompress(frames)).toString(), 'first,second');
  });

  it('is idempotent', () => {
    registerCompressionCodecs();
    registerCompressionCodecs();
    assert.equal(typeof zstd().compress, 'function');
    assert.equal(typeof codec(CompressionTypes.LZ4).decompress, 'function');
  });
});
