import { createHash } from 'node:crypto';

/** Our own UUID namespace for compaction outputs (random, fixed forever: changing it changes every ID). */
const NAMESPACE = Buffer.from('5b0d7f1e8a3c4e6fb2a97d41c0e3f859', 'hex');

export interface OutputBlockIdOptions {
  readonly tenant: string;
  /** The job's input block IDs, sorted. */
  readonly inputs: readonly string[];
  /** Position of the output among the job's outputs (0 unless max_block_bytes cut it). */
  readonly index: number;
  /** Everything else that shapes the output's bytes (format, page size, zstd level, bloom rate, cut size), and the ID epoch (compact-job.ts). */
  readonly fingerprint: string;
}

/**
 * A UUIDv5 (SHA-1, RFC 9562) of the job: the same inputs with the same settings always give the same IDs,
 * so a compaction retried after a crash, or done twice by two compactors, rewrites the same blocks with the
 * same bytes instead of adding copies. Different settings give different IDs: two compactors configured
 * differently never interleave objects of one block.
 */
export function outputBlockId(options: OutputBlockIdOptions): string {
  const name = JSON.stringify([options.tenant, options.inputs, options.index, options.fingerprint]);
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
