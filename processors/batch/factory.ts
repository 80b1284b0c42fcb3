import type { ProcessorFactory } from '../../pipeline/component.ts';
import { parseDuration } from '../../pipeline/config/units.ts';
import { BatchProcessor } from './batch-processor.ts';
import {
  batchProcessorConfigSchema, createDefaultBatchProcessorConfig, validateBatchProcessorConfig,
  type BatchProcessorConfig,
} from './config.ts';

export const batchProcessorFactory = Object.freeze({
  kind: 'processor',
  type: 'batch',
  configSchema: batchProcessorConfigSchema,
  createDefaultConfig: createDefaultBatchProcessorConfig,
  validate: validateBatchProcessorConfig,

  createTraces(settings, config, next) {
    return new BatchProcessor(settings, {
      sendBatchSize: config.send_batch_size,
      sendBatchMaxSize: config.send_batch_max_size === 0 ? Infinity : config.send_batch_max_size,
      timeoutMs: parseDuration(config.timeout),
      maxTenants: config.metadata_cardinality_limit === 0 ? Infinity : config.metadata_cardinality_limit,
    }, next);
  },
} satisfies ProcessorFactory<BatchProcessorConfig>);
