import type { Counter, Registry } from 'prom-client';
import { counter } from '../../pipeline/telemetry.ts';

export interface CompactorMetrics {
  /** Input blocks marked compacted by a compaction (or its recovery), by the inputs' output level. */
  readonly blocksCompacted: Counter<'tenant' | 'level'>;
  readonly blocksWritten: Counter<'tenant' | 'level'>;
  readonly spansDeduplicated: Counter<'tenant'>;
  /** Blocks past block_retention, marked for deletion. */
  readonly retentionDeletedBlocks: Counter<'tenant'>;
  /** Compacted blocks whose objects were deleted after compacted_block_retention. */
  readonly compactedBlocksDeleted: Counter<'tenant'>;
  readonly orphansDeleted: Counter<'tenant'>;
  readonly bytesWritten: Counter<'tenant'>;
  readonly errors: Counter<'tenant'>;
}

export function compactorMetrics(registry: Registry): CompactorMetrics {
  const c = <L extends string>(name: string, help: string, labels: L[]) => counter(registry, `tracelake_compactor_${name}`, help, labels);
  return {
    blocksCompacted: c('blocks_compacted_total', 'Blocks merged into others and marked compacted.', ['tenant', 'level']),
    blocksWritten: c('blocks_written_total', 'Blocks written by compaction, by their compaction level.', ['tenant', 'level']),
    spansDeduplicated: c('spans_deduplicated_total', 'Duplicate spans (same span ID and kind) dropped while merging.', ['tenant']),
    retentionDeletedBlocks: c('retention_deleted_blocks_total', 'Blocks past block_retention, marked for deletion.', ['tenant']),
    compactedBlocksDeleted: c('compacted_blocks_deleted_total', 'Compacted blocks deleted after compacted_block_retention.', ['tenant']),
    orphansDeleted: c('orphans_deleted_total', 'Block folders without any meta deleted after the grace period.', ['tenant']),
    bytesWritten: c('bytes_written_total', 'Bytes of data objects written by compaction.', ['tenant']),
    errors: c('errors_total', 'Compaction cycle steps that failed (retried next cycle).', ['tenant']),
  };
}
