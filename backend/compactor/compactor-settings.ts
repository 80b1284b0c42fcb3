import { ConfigError } from '../../pipeline/errors.ts';
import { parseBytes, parseDuration } from '../../pipeline/config/units.ts';
import { withCompactorDefaults, type CompactorConfig, type CompactorOverrides } from './config.ts';

/** The compactor's config with defaults applied and units parsed (milliseconds, bytes). */
export interface CompactorSettings {
  readonly windowMs: number;
  readonly maxCompactionObjects: number;
  readonly maxBlockBytes: number;
  /** 0 = keep forever. */
  readonly blockRetentionMs: number;
  readonly compactedBlockRetentionMs: number;
  readonly cycleMs: number;
  readonly minInputBlocks: number;
  readonly maxInputBlocks: number;
  readonly zstdLevel: number;
  readonly orphanGraceMs: number;
  /** Tenant → its block retention in ms (0 = keep forever). */
  readonly retentionOverridesMs: ReadonlyMap<string, number>;
}

export function resolveCompactorSettings(
  config?: Partial<CompactorConfig> | null, overrides?: CompactorOverrides | null,
): CompactorSettings {
  const c = withCompactorDefaults(config).compaction;
  const retentionOverridesMs = new Map<string, number>();
  for (const [tenant, limits] of Object.entries(overrides ?? {})) {
    if (limits?.block_retention !== undefined) retentionOverridesMs.set(tenant, parseDuration(limits.block_retention));
  }
  return Object.freeze({
    windowMs: parseDuration(c.compaction_window),
    maxCompactionObjects: c.max_compaction_objects,
    maxBlockBytes: parseBytes(c.max_block_bytes),
    blockRetentionMs: parseDuration(c.block_retention),
    compactedBlockRetentionMs: parseDuration(c.compacted_block_retention),
    cycleMs: parseDuration(c.compaction_cycle),
    minInputBlocks: c.min_input_blocks,
    maxInputBlocks: c.max_input_blocks,
    zstdLevel: c.zstd_level,
    orphanGraceMs: parseDuration(c.orphan_grace_period),
    retentionOverridesMs,
  });
}

/** Cross-field checks once the schema passed; each string is `<path>: message`. */
export function compactorConfigProblems(
  config?: Partial<CompactorConfig> | null, overrides?: CompactorOverrides | null, path = 'compactor',
): string[] {
  let s: CompactorSettings;
  try {
    s = resolveCompactorSettings(config, overrides);
  } catch (err) {
    if (err instanceof ConfigError) return [`${path}: ${err.message}`];
    throw err;
  }
  const at = (key: string) => `${path}.compaction.${key}`;
  const problems: string[] = [];
  if (s.windowMs < 1000) problems.push(`${at('compaction_window')}: must be at least 1s`);
  if (s.cycleMs <= 0) problems.push(`${at('compaction_cycle')}: must be greater than 0`);
  if (s.maxBlockBytes <= 0) problems.push(`${at('max_block_bytes')}: must be greater than 0`);
  if (s.orphanGraceMs < 60_000) problems.push(`${at('orphan_grace_period')}: must be at least 1m (and well above the longest compaction job)`);
  if (s.maxInputBlocks < s.minInputBlocks) problems.push(`${at('max_input_blocks')}: must not be below min_input_blocks (${s.minInputBlocks})`);
  return problems;
}

/** The tenant's block retention in ms; 0 = keep forever. */
export function blockRetentionFor(settings: CompactorSettings, tenant: string): number {
  return settings.retentionOverridesMs.get(tenant) ?? settings.blockRetentionMs;
}
