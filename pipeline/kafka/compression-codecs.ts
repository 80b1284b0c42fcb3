import { promisify } from 'node:util';
import { zstdCompress, zstdDecompress } from 'node:zlib';
import kafkajs from 'kafkajs';
import { lz4FrameCompress, lz4FrameDecompress } from './lz4-frame.ts';
import { snappyDecompress, xerialSnappyCompress } from './xerial-snappy.ts';
import { zstdFrames } from './zstd-frames.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs; // CommonJS: no named exports under Node's ESM

const compress = promisify(zstdCompress);
const decompress = promisify(zstdDecompress);

/** What kafkajs expects of a codec: the producer hands it the encoded records, the consumer the record batch body. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/**
 * Kafka's zstd is plain zstd frames over the records (KIP-110). node:zlib writes one frame, as the Java
 * client and librdkafka do, but reads only the first of several, so frames are cut apart first.
 */
const zstdCodec: KafkaCodec = Object.freeze({
  compress: (encoder: { buffer: Buffer }) => compress(encoder.buffer),
  decompress: async (buffer: Buffer) => {
    const frames = zstdFrames(buffer);
    if (frames.length === 1) return decompress(frames[0]!);
    return Buffer.concat(await Promise.all(frames.map((frame) => decompress(frame))));
  },
});

/** Writes xerial-framed Snappy as the Java client does; reads that and raw Snappy (franz-go, librdkafka, sarama). */
const snappyCodec: KafkaCodec = Object.freeze({
  compress: async (encoder: { buffer: Buffer }) => xerialSnappyCompress(encoder.buffer),
  decompress: async (buffer: Buffer) => snappyDecompress(buffer),
});

/**
 * The LZ4 frame format, as record batches of message format v2 carry it. (The broken header checksum of
 * Kafka before 0.10 only ever applied to message format v0/v1; it is accepted on read.)
 */
const lz4Codec: KafkaCodec = Object.freeze({
  compress: async (encoder: { buffer: Buffer }) => lz4FrameCompress(encoder.buffer),
  decompress: async (buffer: Buffer) => lz4FrameDecompress(buffer),
});

/**
 * Adds Snappy, LZ4 and ZSTD to kafkajs's codecs (it ships GZIP only). Idempotent; producers AND consumers
 * must call it, since a consumer meets whatever compression the producers of a topic chose.
 */
export function registerCompressionCodecs(): void {
  const codecs = CompressionCodecs as Record<number, () => KafkaCodec>;
  codecs[CompressionTypes.Snappy] = () => snappyCodec;
  codecs[CompressionTypes.LZ4] = () => lz4Codec;
  codecs[CompressionTypes.ZSTD] = () => zstdCodec;
}
