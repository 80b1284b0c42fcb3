import { deepMerge } from '../../pipeline/config/deep-merge.ts';
import { bytesSchema, durationSchema } from '../../pipeline/config/units.ts';
import { sectionSchema } from '../../pipeline/config/section-schema.ts';

/** As written in YAML: `"1h"`, `"30s"`, or 0; read with parseDuration. */
type Duration = string | number;
/** As written in YAML: `"512MiB"` or a number of bytes; read with parseBytes. */
type Bytes = string | number;

/**
 * The `compactor:` section, keys as in Grafana Tempo's `compactor: compaction:` (the last four are
 * Tracelake's own: Tempo hard-codes the input counts and has no orphan collection).
 */
export interface CompactorConfig {
  compaction: {
    /** Blocks whose end times fall in the same window of this length are compacted together. */
    compaction_window: Duration;
    /** At most this many traces (sum of totalObjects) go into one compaction. */
    max_compaction_objects: number;
    /**
     * At most this many data bytes (sum of meta.size) go into one compaction, and an output block is cut
     * once it reaches it. An output block's compressed data is held in memory until written (the object
     * store writes whole objects), so this bounds the compactor's memory; Tempo's default is 100GiB.
     */
    max_block_bytes: Bytes;
    /** Blocks whose end time is older than this are deleted; 0 keeps them forever. */
    block_retention: Duration;
    /** A block marked compacted stays readable this long (pollers catch up), then it is deleted. */
    compacted_block_retention: Duration;
    /** How often a compaction cycle (retention, compaction, clean-up) runs. */
    compaction_cycle: Duration;
    /** Fewest and most blocks merged by one compaction. */
    min_input_blocks: number;
    max_input_blocks: number;
    /** zstd level of the blocks the compactor writes; columnar blocks gain ~1% from level 6 over 3 (bench/compactor.bench.ts). */
    zstd_level: number;
    /**
     * Objects of a block folder with neither meta.json nor meta.compacted.json are deleted after this long.
     * Must be well above the longest compaction job (about a minute per max_block_bytes of 512MiB).
     */
    orphan_grace_period: Duration;
  };
}

/**
 * Per-tenant limits, Tempo's (legacy, flat) overrides shape: `overrides: { <tenant>: { block_retention: 24h } }`.
 * A tenant listed here gets its own block_retention (0 = keep forever); the others get the compactor's.
 */
export type CompactorOverrides = Record<string, { block_retention?: Duration } | null>;

const count = (minimum: number) => ({ type: 'integer', minimum });

export const compactorConfigSchema = sectionSchema({
  compaction: sectionSchema({
    compaction_window: durationSchema,
    max_compaction_objects: count(1),
    max_block_bytes: bytesSchema,
    block_retention: durationSchema,
    compacted_block_retention: durationSchema,
    compaction_cycle: durationSchema,
    min_input_blocks: count(2),
    max_input_blocks: count(2),
    zstd_level: { type: 'integer', minimum: 1, maximum: 19 },
    orphan_grace_period: durationSchema,
  }),
});

export const compactorOverridesSchema = {
  type: 'object',
  nullable: true,
  propertyNames: { type: 'string', minLength: 1 },
  additionalProperties: sectionSchema({ block_retention: durationSchema }),
};

export function createDefaultCompactorConfig(): CompactorConfig {
  return {
    compaction: {
      compaction_window: '1h',
      max_compaction_objects: 6_000_000,
      max_block_bytes: '512MiB',
      block_retention: '336h',
      compacted_block_retention: '1h',
      compaction_cycle: '30s',
      min_input_blocks: 2,
      max_input_blocks: 8,
      zstd_level: 3,
      orphan_grace_period: '1h',
    },
  };
}

/** Keys left out (or written empty) take their defaults. */
export function withCompactorDefaults(config: Partial<CompactorConfig> | null | undefined): CompactorConfig {
  return deepMerge(createDefaultCompactorConfig(), config) as CompactorConfig;
}
