import { deepMerge, isPlainObject } from '../../pipeline/config/deep-merge.ts';
import type { KafkaReceiverConfig } from './config.ts';

/**
 * The defaults live in `traces`; a user who wrote the older top-level `topic` / `encoding` (or
 * `traces.topic`) must not also get the default `traces.topics` / `traces.encoding`, which would win.
 */
export function mergeKafkaReceiverConfig(defaults: KafkaReceiverConfig, user: unknown): KafkaReceiverConfig {
  const merged = deepMerge(defaults, user) as KafkaReceiverConfig;
  if (!isPlainObject(user)) return merged;
  const traces = isPlainObject(user.traces) ? user.traces : {};
  const has = (o: Record<string, unknown>, k: string) => o[k] !== undefined && o[k] !== null;
  if ((has(user, 'topic') || has(traces, 'topic')) && !has(traces, 'topics')) delete merged.traces.topics;
  if (has(user, 'encoding') && !has(traces, 'encoding')) delete merged.traces.encoding;
  return merged;
}
