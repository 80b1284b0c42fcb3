const MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC = 0x184d2a50; // …50 to …5f
const FCS_BYTES = [0, 2, 4, 8];
const DICT_ID_BYTES = [0, 1, 2, 4];
const BLOCK_RLE = 1;

/**
 * Cuts a buffer of concatenated zstd frames into its frames (skippable frames are left out), reading only
 * frame and block headers (RFC 8878). A producer may write several frames into one Kafka record batch, and
 * node:zlib's decoder stops after the first. Throws on a truncated or foreign buffer.
 */
export function zstdFrames(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const magic = buf.readUInt32LE(pos);
    if ((magic & 0xfffffff0) === SKIPPABLE_MAGIC) {
      pos += 8 + buf.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== MAGIC) throw new Error(`not a zstd frame at byte ${pos}`);
    const descriptor = buf[pos + 4]!;
    const singleSegment = (descriptor & 0x20) !== 0;
    const fcsFlag = descriptor >> 6;
    pos += 5 + (singleSegment ? 0 : 1) + DICT_ID_BYTES[descriptor & 3]!
      + (fcsFlag === 0 && singleSegment ? 1 : FCS_BYTES[fcsFlag]!);
    for (let last = false; !last;) {
      const header = buf.readUIntLE(pos, 3);
      last = (header & 1) === 1;
      pos += 3 + (((header >> 1) & 3) === BLOCK_RLE ? 1 : header >>> 3);
    }
    if ((descriptor & 0x04) !== 0) pos += 4; // content checksum
    if (pos > buf.length) throw new Error('truncated zstd frame');
    frames.push(buf.subarray(start, pos));
  }
  return frames;
}
