import { durationSchema } from '../../pipeline/config/units.ts';

/** As written in YAML: `"5s"`, or 0; read with parseDuration (pipeline/config/units.ts). */
type Duration = string | number;

/** `retry_on_failure`, the Collector's configretry.BackOffConfig. */
export interface RetryConfig {
  enabled: boolean;
  /** Wait after the first failure. */
  initial_interval: Duration;
  /** Each wait is drawn from interval × [1 − factor, 1 + factor]. */
  randomization_factor: number;
  /** Growth of the interval after each failure. */
  multiplier: number;
  /** Upper bound of one wait. */
  max_interval: Duration;
  /** Give up once this much time has passed since the first attempt; 0 = never. */
  max_elapsed_time: Duration;
}

/** `sending_queue`, the Collector's in-memory queue. */
export interface QueueConfig {
  enabled: boolean;
  /** Requests sent concurrently from the queue. */
  num_consumers: number;
  /** Requests the queue holds before refusing more. */
  queue_size: number;
}

/** The keys exporterhelper adds to an exporter's config, as in the Collector. */
export interface ExporterHelperConfig {
  /** Per attempt; 0 = no limit. */
  timeout: Duration;
  retry_on_failure: RetryConfig;
  sending_queue: QueueConfig;
}

export const retryConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    initial_interval: durationSchema,
    randomization_factor: { type: 'number', minimum: 0, maximum: 1 },
    multiplier: { type: 'number', minimum: 0 },
    max_interval: durationSchema,
    max_elapsed_time: durationSchema,
  },
};

export const queueConfigSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Off by default in Tracelake (on in the Collector): with it off, a client\'s success reply means '
    + 'the exporter delivered the data; with it on, the reply comes once the request is queued.',
  properties: {
    enabled: { type: 'boolean' },
    num_consumers: { type: 'integer', minimum: 1 },
    queue_size: { type: 'integer', minimum: 1 },
  },
};

/** Properties to spread into an exporter's config schema. */
export const exporterHelperSchemaProperties = Object.freeze({
  timeout: durationSchema,
  retry_on_failure: retryConfigSchema,
  sending_queue: queueConfigSchema,
});

export function createDefaultRetryConfig(): RetryConfig {
  return {
    enabled: true,
    initial_interval: '5s',
    randomization_factor: 0.5,
    multiplier: 1.5,
    max_interval: '30s',
    max_elapsed_time: '300s',
  };
}

export function createDefaultQueueConfig(): QueueConfig {
  // Off, unlike the Collector: a client's success reply should mean the data reached the destination.
  return { enabled: false, num_consumers: 10, queue_size: 1000 };
}

export function createDefaultExporterHelperConfig(): ExporterHelperConfig {
  return { timeout: '5s', retry_on_failure: createDefaultRetryConfig(), sending_queue: createDefaultQueueConfig() };
}
