import snappy from 'snappyjs';

/** `\x82SNAPPY\0`, then the stream format version and the oldest compatible version, both 1 (big-endian int32). */
const HEADER = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
const MAGIC = HEADER.subarray(0, 8);
/** snappy-java's SnappyOutputStream default block size, which the Kafka Java client uses. */
const BLOCK_SIZE = 32 * 1024;

/**
 * Snappy as the Kafka Java client writes it (snappy-java's SnappyOutputStream, "xerial" framing): the
 * 16-byte header, then blocks of at most 32 KiB input, each a big-endian int32 length and a raw Snappy block.
 */
export function xerialSnappyCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [HEADER];
  for (let start = 0; start < data.length; start += BLOCK_SIZE) {
    const block = snappy.compress(data.subarray(start, start + BLOCK_SIZE));
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/**
 * Reads xerial-framed Snappy (several streams may be concatenated: the header can repeat between blocks) and
 * also raw, unframed Snappy, which sarama, librdkafka and franz-go write.
 */
export function snappyDecompress(buf: Buffer): Buffer {
  if (!startsWithMagic(buf, 0)) return snappy.uncompress(buf);
  const blocks: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (startsWithMagic(buf, at)) {
      if (at + HEADER.length > buf.length) throw new Error('truncated xerial snappy header');
      at += HEADER.length;
      continue;
    }
    if (at + 4 > buf.length) throw new Error('truncated xerial snappy block length');
    const length = buf.readUInt32BE(at);
    at += 4;
    if (at + length > buf.length) throw new Error(`xerial snappy block of ${length} bytes runs past the end`);
    blocks.push(snappy.uncompress(buf.subarray(at, at + length)));
    at += length;
  }
  return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks);
}

function startsWithMagic(buf: Buffer, at: number): boolean {
  return buf.length - at >= MAGIC.length && buf.compare(MAGIC, 0, MAGIC.length, at, at + MAGIC.length) === 0;
}
