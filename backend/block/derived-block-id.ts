import { createHash } from 'node:crypto';

/** Tracelake's UUID namespace for block IDs derived from what went into a block (random, fixed forever). */
const NAMESPACE = Buffer.from('5b0d7f1e8a3c4e6fb2a97d41c0e3f859', 'hex');

/**
 * A UUIDv5 (SHA-1, RFC 9562) of `parts`: the same parts always give the same block ID, so writing a block
 * again (a retried flush or compaction) rewrites the same objects instead of adding a copy. Callers put in
 * `parts` everything that decides the block's contents.
 */
export function derivedBlockId(parts: readonly unknown[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(JSON.stringify(parts)).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
