import { isPlainObject, deepMerge } from '../../pipeline/config/deep-merge.ts';
import { durationSchema, parseDuration } from '../../pipeline/config/units.ts';

/** As written in YAML (`"1s"`), read with parseDuration. */
type Duration = string | number;

/**
 * The Collector's memory_limiter keys. A limit of 0 means "not set", as in the Collector; exactly one of
 * `limit_mib` / `limit_percentage` must be set, and a spike limit of 0 means 20% of the limit.
 */
export interface MemoryLimiterConfig {
  check_interval: Duration;
  limit_mib: number;
  spike_limit_mib: number;
  /** Of the memory available to the process: the cgroup limit when there is one, else the machine's. */
  limit_percentage: number;
  spike_limit_percentage: number;
  min_gc_interval_when_soft_limited: Duration;
  min_gc_interval_when_hard_limited: Duration;
}

const LIMIT_KEYS = ['limit_mib', 'spike_limit_mib', 'limit_percentage', 'spike_limit_percentage'] as const;

const mib = { type: 'integer', minimum: 0 };
const percentage = { type: 'integer', minimum: 0, maximum: 100 };

export const memoryLimiterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    check_interval: durationSchema,
    limit_mib: mib,
    spike_limit_mib: mib,
    limit_percentage: percentage,
    spike_limit_percentage: percentage,
    min_gc_interval_when_soft_limited: durationSchema,
    min_gc_interval_when_hard_limited: durationSchema,
  },
};

/**
 * Unlike the Collector's (which fails validation until a limit is written), the default limits the process
 * to 80% of its memory and refuses data above 60%, so an empty `memory_limiter:` works.
 */
export function createDefaultMemoryLimiterConfig(): MemoryLimiterConfig {
  return {
    check_interval: '1s',
    limit_mib: 0,
    spike_limit_mib: 0,
    limit_percentage: 80,
    spike_limit_percentage: 20,
    min_gc_interval_when_soft_limited: '10s',
    min_gc_interval_when_hard_limited: 0,
  };
}

/** The default limit applies only when the user wrote none of the limit keys: the ones they left out become 0. */
export function mergeMemoryLimiterConfig(defaults: MemoryLimiterConfig, user: unknown): MemoryLimiterConfig {
  const merged = deepMerge(defaults, user) as MemoryLimiterConfig;
  if (!isPlainObject(user)) return merged;
  const written = LIMIT_KEYS.filter((k) => user[k] !== undefined && user[k] !== null);
  if (written.length === 0) return merged;
  for (const key of LIMIT_KEYS) if (!written.includes(key)) merged[key] = 0;
  return merged;
}

/** The Collector's checks, all reported at once, plus: mebibytes and percentages are not mixed. */
export function validateMemoryLimiterConfig(c: MemoryLimiterConfig): string[] {
  const problems: string[] = [];
  if (parseDuration(c.check_interval) <= 0) problems.push('check_interval: must be greater than zero');
  if (parseDuration(c.min_gc_interval_when_soft_limited) < parseDuration(c.min_gc_interval_when_hard_limited)) {
    problems.push("min_gc_interval_when_soft_limited: should be larger than 'min_gc_interval_when_hard_limited'");
  }
  const byMib = c.limit_mib > 0 || c.spike_limit_mib > 0;
  const byPercentage = c.limit_percentage > 0 || c.spike_limit_percentage > 0;
  if (byMib && byPercentage) {
    problems.push('limit_mib: set the limit either in mebibytes (limit_mib, spike_limit_mib) or as percentages '
      + '(limit_percentage, spike_limit_percentage), not both');
  }
  if (c.limit_mib === 0 && c.limit_percentage === 0) {
    problems.push("limit_mib: 'limit_mib' or 'limit_percentage' must be greater than zero");
  }
  if (c.limit_mib > 0 && c.spike_limit_mib >= c.limit_mib) {
    problems.push("spike_limit_mib: must be smaller than 'limit_mib'");
  }
  if (c.limit_percentage > 0 && c.spike_limit_percentage >= c.limit_percentage) {
    problems.push("spike_limit_percentage: must be smaller than 'limit_percentage'");
  }
  return problems;
}
