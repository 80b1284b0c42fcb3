import { derivedBlockId } from '../block/derived-block-id.ts';

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
 * The ID of a compaction output: the same inputs with the same settings always give the same IDs, so a
 * compaction retried after a crash, or done twice by two compactors, rewrites the same blocks with the
 * same bytes instead of adding copies. Different settings give different IDs: two compactors configured
 * differently never interleave objects of one block.
 */
export function outputBlockId(options: OutputBlockIdOptions): string {
  return derivedBlockId([options.tenant, options.inputs, options.index, options.fingerprint]);
}
