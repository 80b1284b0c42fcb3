import type { ProcessorFactory } from '../../pipeline/component.ts';
import { parseDuration } from '../../pipeline/config/units.ts';
import {
  createDefaultMemoryLimiterConfig, memoryLimiterConfigSchema, mergeMemoryLimiterConfig, validateMemoryLimiterConfig,
  type MemoryLimiterConfig,
} from './config.ts';
import { MemoryLimiterProcessor } from './memory-limiter-processor.ts';
import { memoryLimits } from './memory-limits.ts';
import { totalMemory } from './total-memory.ts';

/** `memory_limiter`: put it first in a pipeline, so refused data costs as little as possible. */
export const memoryLimiterProcessorFactory = Object.freeze({
  kind: 'processor',
  type: 'memory_limiter',
  configSchema: memoryLimiterConfigSchema,
  createDefaultConfig: createDefaultMemoryLimiterConfig,
  mergeConfig: mergeMemoryLimiterConfig,
  validate: validateMemoryLimiterConfig,

  createTraces(settings, config, next) {
    return new MemoryLimiterProcessor(settings, {
      limits: memoryLimits(config, config.limit_mib > 0 ? 0 : totalMemory()),
      checkIntervalMs: parseDuration(config.check_interval),
      minGcIntervalSoftMs: parseDuration(config.min_gc_interval_when_soft_limited),
      minGcIntervalHardMs: parseDuration(config.min_gc_interval_when_hard_limited),
    }, next);
  },
} satisfies ProcessorFactory<MemoryLimiterConfig> & { mergeConfig: unknown });
