/** Standard or URL-safe alphabet, padding optional: what proto3 JSON parsers accept. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Standard base64 with padding, as Go's encoding/base64 (and so gogo jsonpb) writes it. */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes base64; undefined when `s` is not base64 (Buffer.from alone would silently skip bad characters). */
export function base64ToBytes(s: string): Uint8Array | undefined {
  if (!BASE64.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s, 'base64');
}
