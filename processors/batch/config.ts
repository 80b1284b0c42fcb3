import { durationSchema } from '../../pipeline/config/units.ts';

export interface BatchProcessorConfig {
  /** Spans that trigger a send before the timeout; 0 sends at once. */
  send_batch_size: number;
  /** Upper bound of a sent batch; 0 = no bound. */
  send_batch_max_size: number;
  /** Longest a span waits for its batch to fill; 0 sends at once. */
  timeout: string | number;
  /**
   * Accepted for Collector configs. Batches are always kept apart per tenant (X-Scope-OrgID), the only
   * request metadata Tracelake carries downstream, so other keys would make no visible difference.
   */
  metadata_keys: string[];
  /** Most tenants with a batch pending at once; 0 = no limit. */
  metadata_cardinality_limit: number;
}

export const batchProcessorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    send_batch_size: { type: 'integer', minimum: 0 },
    send_batch_max_size: { type: 'integer', minimum: 0 },
    timeout: durationSchema,
    metadata_keys: { type: 'array', items: { type: 'string' } },
    metadata_cardinality_limit: { type: 'integer', minimum: 0 },
  },
};

export function createDefaultBatchProcessorConfig(): BatchProcessorConfig {
  return {
    send_batch_size: 8192,
    send_batch_max_size: 0,
    timeout: '200ms',
    metadata_keys: [],
    metadata_cardinality_limit: 1000,
  };
}

/** The Collector's cross-field checks. */
export function validateBatchProcessorConfig(config: BatchProcessorConfig): string[] {
  const problems: string[] = [];
  if (config.send_batch_max_size > 0 && config.send_batch_max_size < config.send_batch_size) {
    problems.push('send_batch_max_size: must be greater or equal to send_batch_size');
  }
  const seen = new Set<string>();
  for (const key of config.metadata_keys) {
    const lower = key.toLowerCase();
    if (seen.has(lower)) problems.push(`metadata_keys: duplicate entry ${JSON.stringify(key)} (case-insensitive)`);
    seen.add(lower);
  }
  return problems;
}
