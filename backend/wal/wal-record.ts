import zlib from 'node:zlib';
import { PermanentError } from '../../pipeline/errors.ts';

/**
 * One WAL record: [u32 body length][u32 crc32 of body][body], body = [u8 tenant length][tenant utf8][TracesData].
 * Integers are little-endian.
 */
export const RECORD_HEADER_BYTES = 8;
const MAX_TENANT_BYTES = 255;

/** Header and tenant of a record whose body ends with `payload`; written before the payload with writev. */
export function encodeRecordPrefix(tenant: string, payload: Uint8Array): Buffer {
  const tenantBytes = Buffer.from(tenant, 'utf8');
  if (tenantBytes.length > MAX_TENANT_BYTES) {
    throw new PermanentError(`tenant ID is longer than ${MAX_TENANT_BYTES} bytes`);
  }
  const prefix = Buffer.allocUnsafe(RECORD_HEADER_BYTES + 1 + tenantBytes.length);
  prefix[RECORD_HEADER_BYTES] = tenantBytes.length;
  tenantBytes.copy(prefix, RECORD_HEADER_BYTES + 1);
  const tenantPart = prefix.subarray(RECORD_HEADER_BYTES);
  prefix.writeUInt32LE(tenantPart.length + payload.length, 0);
  prefix.writeUInt32LE(zlib.crc32(payload, zlib.crc32(tenantPart)), 4);
  return prefix;
}

export interface ParsedRecord {
  readonly tenant: string;
  /** The TracesData bytes: a view into the buffer that was parsed. */
  readonly payload: Buffer;
  /** Offset just past the record. */
  readonly end: number;
}

/** The record at `offset`, or undefined when it is torn (cut short) or corrupt (bad length or crc). */
export function parseRecord(buf: Buffer, offset: number): ParsedRecord | undefined {
  if (buf.length - offset < RECORD_HEADER_BYTES) return undefined;
  const length = buf.readUInt32LE(offset);
  const bodyStart = offset + RECORD_HEADER_BYTES;
  const end = bodyStart + length;
  if (length < 1 || end > buf.length) return undefined;
  const body = buf.subarray(bodyStart, end);
  if (zlib.crc32(body) !== buf.readUInt32LE(offset + 4)) return undefined;
  const tenantLength = body[0];
  if (1 + tenantLength > length) return undefined;
  const tenant = body.toString('utf8', 1, 1 + tenantLength);
  return { tenant, payload: body.subarray(1 + tenantLength), end };
}
