import type { MemoryLimiterConfig } from './config.ts';

const MIB = 1024 * 1024;

/** Thresholds on the process's resident memory, in bytes. */
export interface MemoryLimits {
  /** Above it, a garbage collection is forced. */
  readonly hardBytes: number;
  /** hard − spike: at or above it, data is refused. */
  readonly softBytes: number;
}

/** As the Collector computes them: a spike limit of 0 means 20% of the limit. */
export function memoryLimits(config: MemoryLimiterConfig, totalMemoryBytes: number): MemoryLimits {
  const [hardBytes, spikeBytes] = config.limit_mib > 0
    ? [config.limit_mib * MIB, config.spike_limit_mib * MIB]
    : [Math.floor(totalMemoryBytes * config.limit_percentage / 100), Math.floor(totalMemoryBytes * config.spike_limit_percentage / 100)];
  const spike = spikeBytes > 0 ? spikeBytes : Math.floor(hardBytes / 5);
  return { hardBytes, softBytes: hardBytes - spike };
}
