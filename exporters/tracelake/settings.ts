import path from 'node:path';
import { deepMerge } from '../../pipeline/config/deep-merge.ts';
import { parseBytes, parseDuration } from '../../pipeline/config/units.ts';
import { createDefaultTracelakeExporterConfig, type TracelakeExporterConfig } from './config.ts';

/** The exporter's config with defaults applied and units parsed: what the backend modules are built from. */
export interface TracelakeSettings {
  readonly listenAddress: string;
  readonly port: number;
  readonly multitenancy: boolean;
  readonly traceIdlePeriodMs: number;
  readonly maxBlockDurationMs: number;
  readonly maxBlockBytes: number;
  readonly blocksPath: string;
  readonly walPath: string;
  readonly bloomFalsePositive: number;
}

/** Keys left out (or written empty) take their defaults, whether or not the loader merged them already. */
export function resolveTracelakeSettings(config: TracelakeExporterConfig): TracelakeSettings {
  const c = withDefaults(config);
  return {
    listenAddress: c.server.http_listen_address,
    port: c.server.http_listen_port,
    multitenancy: c.multitenancy_enabled,
    traceIdlePeriodMs: parseDuration(c.ingester.trace_idle_period),
    maxBlockDurationMs: parseDuration(c.ingester.max_block_duration),
    maxBlockBytes: parseBytes(c.ingester.max_block_bytes),
    blocksPath: c.storage.trace.local.path,
    walPath: c.storage.trace.wal.path,
    bloomFalsePositive: c.storage.trace.block.bloom_filter_false_positive,
  };
}

/** Cross-field checks once the schema passed; each string is `path: message`. */
export function tracelakeConfigProblems(config: TracelakeExporterConfig): string[] {
  const s = resolveTracelakeSettings(config);
  const problems: string[] = [];
  const fp = s.bloomFalsePositive;
  if (!(fp > 0 && fp < 1)) {
    problems.push(`storage.trace.block.bloom_filter_false_positive: must be between 0 and 1 (exclusive), got ${fp}`);
  }
  if (s.traceIdlePeriodMs <= 0) problems.push('ingester.trace_idle_period: must be greater than 0');
  if (s.maxBlockDurationMs <= 0) problems.push('ingester.max_block_duration: must be greater than 0');
  if (s.maxBlockBytes <= 0) problems.push('ingester.max_block_bytes: must be greater than 0');
  if (overlaps(s.walPath, s.blocksPath)) {
    problems.push('storage.trace.wal.path: must not be inside storage.trace.local.path, nor contain it');
  }
  return problems;
}

function withDefaults(config: TracelakeExporterConfig): TracelakeExporterConfig {
  return deepMerge(createDefaultTracelakeExporterConfig(), config) as TracelakeExporterConfig;
}

/** Blocks are found by listing the blocks folder, so the WAL must live elsewhere. */
function overlaps(a: string, b: string): boolean {
  const ra = path.resolve(a) + path.sep;
  const rb = path.resolve(b) + path.sep;
  return ra.startsWith(rb) || rb.startsWith(ra);
}
