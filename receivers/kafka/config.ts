import { durationSchema } from '../../pipeline/config/units.ts';
import { KAFKA_ENCODINGS, type KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import { sectionSchema } from '../../pipeline/config/section-schema.ts';

/** As written in YAML (`"10s"`), read with parseDuration. */
type Duration = string | number;

/**
 * The Collector's kafka receiver keys (traces only). Both generations of its topic keys are accepted: the
 * older top-level `topic` / `encoding` and the newer `traces.topics` (or `traces.topic`) / `traces.encoding`;
 * writing both generations of one key is a config problem. A topic starting with `^` is a regular expression
 * matched against the topics that exist at start-up.
 */
export interface KafkaReceiverConfig {
  brokers: string[];
  /** Accepted for Collector configs; kafkajs negotiates API versions with each broker itself. */
  protocol_version?: string;
  client_id: string;
  group_id: string;
  initial_offset: 'latest' | 'earliest';
  session_timeout: Duration;
  heartbeat_interval: Duration;
  /** Deprecated in the Collector: use traces.topics. */
  topic?: string;
  /** Deprecated in the Collector: use traces.encoding. */
  encoding?: KafkaEncoding;
  traces: { topics?: string[]; topic?: string; encoding?: KafkaEncoding };
  min_fetch_size: number;
  /** 0 = as large as the broker allows. */
  max_fetch_size: number;
  max_fetch_wait: Duration;
  max_partition_fetch_size: number;
  message_marking: { after: boolean; on_error: boolean; on_permanent_error?: boolean };
  error_backoff: {
    enabled: boolean;
    initial_interval: Duration;
    max_interval: Duration;
    multiplier: number;
    randomization_factor: number;
    max_elapsed_time: Duration;
  };
  /**
   * Accepted for Collector configs. Tracelake commits the marked offsets itself, at the end of each fetched
   * batch and before waiting to retry a record, which is what the Collector does with `enable: false`.
   */
  autocommit: { enable: boolean; interval: Duration };
  /** Only `extract_headers: false` for now: headers are not copied into resource attributes. */
  header_extraction: { extract_headers: boolean; headers: string[] };
}

const encodingSchema = { type: 'string', enum: [...KAFKA_ENCODINGS] };
const topicSchema = { type: 'string', minLength: 1 };

export const kafkaReceiverConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    brokers: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    protocol_version: { type: 'string' },
    client_id: { type: 'string', minLength: 1 },
    group_id: { type: 'string', minLength: 1 },
    initial_offset: { type: 'string', enum: ['latest', 'earliest'] },
    session_timeout: durationSchema,
    heartbeat_interval: durationSchema,
    topic: topicSchema,
    encoding: encodingSchema,
    traces: sectionSchema({
      topics: { type: 'array', minItems: 1, items: topicSchema },
      topic: topicSchema,
      encoding: encodingSchema,
    }),
    min_fetch_size: { type: 'integer', minimum: 1 },
    max_fetch_size: { type: 'integer', minimum: 0 },
    max_fetch_wait: durationSchema,
    max_partition_fetch_size: { type: 'integer', minimum: 1 },
    message_marking: sectionSchema({
      after: {
        type: 'boolean',
        description: 'true (Tracelake default; the Collector defaults to false): a record is marked, and its offset '
          + 'committed, only after the pipeline accepted it, so a crash or a refusal never loses it (at-least-once). '
          + 'false: every record of a fetched batch is marked and committed before it is handed on (at-most-once, '
          + 'the Collector default): a crash loses what was in flight.',
      },
      on_error: {
        type: 'boolean',
        description: 'For a record the pipeline refuses with a retryable error (memory limit, storage down, full queue). '
          + 'false (default): it is not marked; its partition stops at it and retries it with error_backoff until '
          + 'it is accepted, the partition is revoked or the receiver stops, so nothing is skipped. true (as in the '
          + 'Collector): it is given up and marked, at once or, with error_backoff.enabled, once max_elapsed_time '
          + 'has passed; each one is logged (topic, partition, offset) and counted as refused.',
      },
      on_permanent_error: {
        type: 'boolean',
        description: 'Accepted for Collector configs, true only: a record that can never be consumed (undecodable, '
          + 'or refused downstream with a permanent error) is always logged, counted as refused and marked, so a '
          + 'poison record never stalls its partition.',
      },
    }),
    error_backoff: sectionSchema({
      enabled: { type: 'boolean' },
      initial_interval: durationSchema,
      max_interval: durationSchema,
      multiplier: { type: 'number', minimum: 1 },
      randomization_factor: { type: 'number', minimum: 0, maximum: 1 },
      max_elapsed_time: durationSchema,
    }),
    autocommit: sectionSchema({ enable: { type: 'boolean' }, interval: durationSchema }),
    header_extraction: sectionSchema({
      extract_headers: { type: 'boolean' },
      headers: { type: 'array', items: { type: 'string' } },
    }),
  },
};

/**
 * The Collector's defaults except `message_marking.after` (true: at-least-once) and error_backoff's
 * intervals, which are shorter because Tracelake always retries a retryable refusal instead of stalling.
 */
export function createDefaultKafkaReceiverConfig(): KafkaReceiverConfig {
  return {
    brokers: ['localhost:9092'],
    client_id: 'otel-collector',
    group_id: 'otel-collector',
    initial_offset: 'latest',
    session_timeout: '10s',
    heartbeat_interval: '3s',
    traces: { topics: ['otlp_spans'], encoding: 'otlp_proto' },
    min_fetch_size: 1,
    max_fetch_size: 0,
    max_fetch_wait: '250ms',
    max_partition_fetch_size: 1048576,
    message_marking: { after: true, on_error: false },
    error_backoff: {
      enabled: false,
      initial_interval: '250ms',
      max_interval: '5s',
      multiplier: 1.5,
      randomization_factor: 0.5,
      max_elapsed_time: '5m',
    },
    autocommit: { enable: true, interval: '1s' },
    header_extraction: { extract_headers: false, headers: [] },
  };
}
