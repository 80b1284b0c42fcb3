import { parseDuration } from '../../pipeline/config/units.ts';
import type { ExporterHelperConfig, RetryConfig } from './config.ts';

/** `retry_on_failure` in milliseconds. */
export interface RetrySettings {
  readonly enabled: boolean;
  readonly initialIntervalMs: number;
  readonly randomizationFactor: number;
  readonly multiplier: number;
  readonly maxIntervalMs: number;
  /** 0 = no limit. */
  readonly maxElapsedMs: number;
}

export interface QueueSettings {
  readonly enabled: boolean;
  readonly numConsumers: number;
  readonly queueSize: number;
}

export interface ExporterHelperSettings {
  /** Per attempt; 0 = no limit. */
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly queue: QueueSettings;
}

export function resolveExporterHelperSettings(config: ExporterHelperConfig): ExporterHelperSettings {
  const queue = config.sending_queue;
  return {
    timeoutMs: parseDuration(config.timeout),
    retry: resolveRetrySettings(config.retry_on_failure),
    queue: { enabled: queue.enabled, numConsumers: queue.num_consumers, queueSize: queue.queue_size },
  };
}

export function resolveRetrySettings(config: RetryConfig): RetrySettings {
  return {
    enabled: config.enabled,
    initialIntervalMs: parseDuration(config.initial_interval),
    randomizationFactor: config.randomization_factor,
    multiplier: config.multiplier,
    maxIntervalMs: parseDuration(config.max_interval),
    maxElapsedMs: parseDuration(config.max_elapsed_time),
  };
}

/** The Collector's cross-field checks on retry_on_failure, as `key.path: message` problems. */
export function exporterHelperConfigProblems(config: ExporterHelperConfig): string[] {
  const retry = config.retry_on_failure;
  if (!retry.enabled) return [];
  const problems: string[] = [];
  const elapsed = parseDuration(retry.max_elapsed_time);
  if (elapsed > 0 && elapsed < parseDuration(retry.initial_interval)) {
    problems.push('retry_on_failure.max_elapsed_time: must not be less than initial_interval');
  }
  if (elapsed > 0 && elapsed < parseDuration(retry.max_interval)) {
    problems.push('retry_on_failure.max_elapsed_time: must not be less than max_interval');
  }
  return problems;
}
