import { promisify } from 'node:util';
import { zstdCompress, zstdDecompress } from 'node:zlib';
import kafkajs from 'kafkajs';
import { zstdFrames } from './zstd-frames.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs; // CommonJS: no named exports under Node's ESM

const compress = promisify(zstdCompress);
const decompress = promisify(zstdDecompress);

/** What kafkajs expects of a codec: the producer hands it the encoded records, the consumer the record batch body. */
interface KafkaCodec {
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

/**
 * Adds ZSTD to kafkajs's codecs (it ships GZIP only). Idempotent; producers AND consumers must call it,
 * since a consumer meets whatever compression the producers of a topic chose.
 * Snappy and LZ4 stay unsupported: Kafka frames them specially (xerial-framed Snappy, LZ4 frame) and no
 * dependency-free implementation here has been checked against a broker.
 */
export function registerCompressionCodecs(): void {
  (CompressionCodecs as Record<number, () => KafkaCodec>)[CompressionTypes.ZSTD] = () => zstdCodec;
}
