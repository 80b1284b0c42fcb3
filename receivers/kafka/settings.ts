import { parseDuration } from '../../pipeline/config/units.ts';
import type { KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import type { KafkaReceiverConfig } from './config.ts';
import type { RestartSettings } from './restart-backoff.ts';

export interface BackoffSettings {
  /** Whether error_backoff was enabled: only decides when `on_error: true` gives a record up. */
  readonly enabled: boolean;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  readonly randomizationFactor: number;
  /** 0 = never give up. */
  readonly maxElapsedMs: number;
}

/** The receiver's config with defaults applied and units parsed. */
export interface KafkaReceiverSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  /** Names, or patterns for topics written with a leading `^`. */
  readonly topics: readonly (string | RegExp)[];
  readonly encoding: KafkaEncoding;
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly minBytes: number;
  /** undefined = kafkajs's default. */
  readonly maxBytes: number | undefined;
  readonly maxWaitTimeMs: number;
  readonly maxBytesPerPartition: number;
  /** message_marking.after. */
  readonly markAfter: boolean;
  /** message_marking.on_error. */
  readonly skipOnRetryableError: boolean;
  readonly backoff: BackoffSettings;
  /** Restarting a consumer kafkajs gave up on (not a Collector key: the Collector's franz-go client has no such crash). */
  readonly restart: RestartSettings;
}

const DEFAULT_TOPIC = 'otlp_spans';

export function resolveKafkaReceiverSettings(c: KafkaReceiverConfig): KafkaReceiverSettings {
  const written = c.traces.topics ?? [c.traces.topic ?? c.topic ?? DEFAULT_TOPIC];
  const b = c.error_backoff;
  return {
    brokers: c.brokers,
    clientId: c.client_id,
    groupId: c.group_id,
    topics: written.map((t) => (t.startsWith('^') ? new RegExp(t) : t)),
    encoding: c.traces.encoding ?? c.encoding ?? 'otlp_proto',
    fromBeginning: c.initial_offset === 'earliest',
    sessionTimeoutMs: parseDuration(c.session_timeout),
    heartbeatIntervalMs: parseDuration(c.heartbeat_interval),
    minBytes: c.min_fetch_size,
    maxBytes: c.max_fetch_size > 0 ? c.max_fetch_size : undefined,
    maxWaitTimeMs: parseDuration(c.max_fetch_wait),
    maxBytesPerPartition: c.max_partition_fetch_size,
    markAfter: c.message_marking.after,
    skipOnRetryableError: c.message_marking.on_error,
    backoff: {
      enabled: b.enabled,
      initialMs: parseDuration(b.initial_interval),
      maxMs: parseDuration(b.max_interval),
      multiplier: b.multiplier,
      randomizationFactor: b.randomization_factor,
      maxElapsedMs: parseDuration(b.max_elapsed_time),
    },
    restart: { initialMs: 1000, maxMs: 30_000 },
  };
}

/** Cross-field checks, each as `key.path: message`. */
export function kafkaReceiverConfigProblems(c: KafkaReceiverConfig): string[] {
  const problems: string[] = [];
  if (c.traces.topic !== undefined && c.traces.topics !== undefined) {
    problems.push('traces.topic: both traces.topic and traces.topics cannot be set');
  }
  if (c.topic !== undefined && (c.traces.topic !== undefined || c.traces.topics !== undefined)) {
    problems.push('topic: write either the older top-level topic or traces.topics, not both');
  }
  if (c.encoding !== undefined && c.traces.encoding !== undefined) {
    problems.push('encoding: write either the older top-level encoding or traces.encoding, not both');
  }
  for (const broker of c.brokers) {
    if (!/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(broker)) problems.push(`brokers: "${broker}" is not host:port`);
  }
  for (const topic of c.traces.topics ?? [c.traces.topic ?? c.topic ?? DEFAULT_TOPIC]) {
    if (!topic.startsWith('^')) continue;
    try {
      new RegExp(topic);
    } catch (err) {
      problems.push(`traces.topics: invalid regular expression ${topic}: ${(err as Error).message}`);
    }
  }
  const session = parseDuration(c.session_timeout);
  const heartbeat = parseDuration(c.heartbeat_interval);
  if (session <= 0) problems.push('session_timeout: must be greater than zero');
  if (heartbeat <= 0) problems.push('heartbeat_interval: must be greater than zero');
  else if (heartbeat >= session) problems.push('heartbeat_interval: must be lower than session_timeout (about a third of it)');
  if (c.max_fetch_size > 0 && c.max_fetch_size < c.min_fetch_size) {
    problems.push('max_fetch_size: must be greater than or equal to min_fetch_size');
  }
  if (parseDuration(c.error_backoff.initial_interval) <= 0) problems.push('error_backoff.initial_interval: must be greater than zero');
  if (parseDuration(c.error_backoff.max_interval) < parseDuration(c.error_backoff.initial_interval)) {
    problems.push('error_backoff.max_interval: must not be shorter than initial_interval');
  }
  if (c.message_marking.on_permanent_error === false) {
    problems.push('message_marking.on_permanent_error: false is not supported: a record that can never be consumed is '
      + 'always logged, counted and marked, so it cannot stall its partition');
  }
  if (c.header_extraction.extract_headers) {
    problems.push('header_extraction.extract_headers: not supported yet (only the X-Scope-OrgID header is read, as the tenant)');
  }
  return problems;
}
