import { lz4BlockBound, lz4CompressBlock, lz4DecompressBlock, lz4HashTable, Lz4Output } from './lz4-block.ts';
import { xxhash32 } from './xxhash32.ts';

const MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC = 0x184d2a50; // …50 to …5f
const VERSION = 0x40; // FLG bits 7-6 = 01
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const UNCOMPRESSED_BIT = 0x80000000;
const BLOCK_MAX = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 } as Readonly<Record<number, number>>;
/** What is written: the Kafka Java client's choice (KafkaLZ4BlockOutputStream), 64 KiB independent blocks. */
const WRITE_BLOCK_CODE = 4;
/** A content size above this is not trusted as an allocation hint. */
const MAX_SIZE_HINT = 64 << 20;

/**
 * One LZ4 frame (lz4 frame_format.md) as Kafka's Java client writes it: independent 64 KiB blocks, no
 * block or content checksum, a stored block where compression does not pay.
 */
export function lz4FrameCompress(data: Uint8Array): Buffer {
  const blockSize = BLOCK_MAX[WRITE_BLOCK_CODE]!;
  const blocks = Math.ceil(data.length / blockSize);
  const out = Buffer.allocUnsafe(7 + blocks * (4 + lz4BlockBound(blockSize)) + 4);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = VERSION | FLG_BLOCK_INDEPENDENCE;
  out[5] = WRITE_BLOCK_CODE << 4;
  out[6] = headerChecksum(out.subarray(4, 6));
  let at = 7;
  const table = lz4HashTable();
  for (let start = 0; start < data.length; start += blockSize) {
    const block = data.subarray(start, Math.min(start + blockSize, data.length));
    const size = lz4CompressBlock(block, out.subarray(at + 4), table);
    if (size < block.length) {
      out.writeUInt32LE(size, at);
      at += 4 + size;
    } else {
      out.writeUInt32LE((UNCOMPRESSED_BIT | block.length) >>> 0, at);
      out.set(block, at + 4);
      at += 4 + block.length;
    }
  }
  out.writeUInt32LE(0, at); // end mark
  return out.subarray(0, at + 4);
}

/**
 * The content of one or more concatenated LZ4 frames (skippable frames ignored), checking every checksum
 * the frames carry. Throws on anything else, such as a frame needing a dictionary.
 */
export function lz4FrameDecompress(buf: Uint8Array): Buffer {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Lz4Output(Math.min(view.length * 4, MAX_SIZE_HINT));
  let at = 0;
  do {
    if (at + 4 > view.length) throw new Error('truncated lz4 frame');
    const magic = view.readUInt32LE(at);
    if ((magic & 0xfffffff0) >>> 0 === SKIPPABLE_MAGIC) {
      at += 8 + view.readUInt32LE(at + 4);
      continue;
    }
    if (magic !== MAGIC) throw new Error(`not an lz4 frame at byte ${at} (magic ${magic.toString(16)})`);
    at = decodeFrame(view, at, out);
  } while (at < view.length);
  return Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.length);
}

/** Decodes the frame whose magic is at `start` onto `out`; returns where the frame ends. */
function decodeFrame(view: Buffer, start: number, out: Lz4Output): number {
  const flg = view[start + 4];
  const bd = view[start + 5];
  if (flg === undefined || bd === undefined) throw new Error('truncated lz4 frame header');
  if ((flg & 0xc0) !== VERSION) throw new Error(`unsupported lz4 frame version ${flg >> 6}`);
  if ((flg & FLG_DICT_ID) !== 0) throw new Error('lz4 frames that need a dictionary are not supported');
  const blockMax = BLOCK_MAX[(bd >> 4) & 7];
  if (blockMax === undefined) throw new Error(`invalid lz4 block maximum size code ${(bd >> 4) & 7}`);
  const descriptorEnd = start + 6 + ((flg & FLG_CONTENT_SIZE) !== 0 ? 8 : 0);
  if (descriptorEnd + 1 > view.length) throw new Error('truncated lz4 frame header');
  checkHeader(view, start, descriptorEnd);
  if ((flg & FLG_CONTENT_SIZE) !== 0) {
    const size = Number(view.readBigUInt64LE(start + 6));
    if (size <= MAX_SIZE_HINT) out.reserve(size);
  }
  const contentStart = out.length;
  let at = descriptorEnd + 1;
  for (;;) {
    if (at + 4 > view.length) throw new Error('truncated lz4 frame: no end mark');
    const word = view.readUInt32LE(at);
    at += 4;
    if (word === 0) break;
    const size = (word & ~UNCOMPRESSED_BIT) >>> 0;
    if (size > blockMax) throw new Error(`lz4 block of ${size} bytes exceeds the frame's maximum ${blockMax}`);
    const end = at + size;
    if (end + ((flg & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0) > view.length) throw new Error('truncated lz4 block');
    if ((flg & FLG_BLOCK_CHECKSUM) !== 0) {
      if (xxhash32(view.subarray(at, end)) !== view.readUInt32LE(end)) throw new Error('lz4 block checksum mismatch');
    }
    if ((word & UNCOMPRESSED_BIT) !== 0) out.append(view, at, end);
    else lz4DecompressBlock(view, { start: at, end, limit: blockMax }, out);
    at = end + ((flg & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0);
  }
  if ((flg & FLG_CONTENT_CHECKSUM) !== 0) {
    if (at + 4 > view.length) throw new Error('truncated lz4 frame: no content checksum');
    if (xxhash32(out.bytes.subarray(contentStart, out.length)) !== view.readUInt32LE(at)) {
      throw new Error('lz4 content checksum mismatch');
    }
    at += 4;
  }
  return at;
}

/**
 * The header checksum is the second byte of XXH32 over the descriptor. Kafka before 0.10 (message format
 * v0/v1, KAFKA-3160) hashed the magic number too; that form is accepted on read, never written.
 */
function checkHeader(view: Buffer, start: number, descriptorEnd: number): void {
  const hc = view[descriptorEnd];
  if (hc === headerChecksum(view.subarray(start + 4, descriptorEnd))) return;
  if (hc === headerChecksum(view.subarray(start, descriptorEnd))) return;
  throw new Error('lz4 frame header checksum mismatch');
}

function headerChecksum(descriptor: Uint8Array): number {
  return (xxhash32(descriptor) >>> 8) & 0xff;
}
