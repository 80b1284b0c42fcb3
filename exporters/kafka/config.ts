import { durationSchema } from '../../pipeline/config/units.ts';
import { KAFKA_ENCODINGS, type KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import {
  createDefaultExporterHelperConfig, exporterHelperSchemaProperties, type ExporterHelperConfig,
} from '../exporterhelper/config.ts';

/** As written in YAML: `"10m"`, or 0; read with parseDuration. */
type Duration = string | number;

export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export const KAFKA_COMPRESSIONS: readonly KafkaCompression[] = Object.freeze(['none', 'gzip', 'snappy', 'lz4', 'zstd']);

/**
 * The Collector's `record_partitioner`: at most one strategy. Only `sticky_key` with hasher `sarama_compat`
 * (the Collector's default) is what Tracelake does; the others are refused by validate (see settings.ts).
 */
export interface RecordPartitionerConfig {
  sticky_key?: { hasher?: 'sarama_compat' | 'murmur2' } | null;
  round_robin?: Record<string, never> | null;
  least_backup?: Record<string, never> | null;
  extension?: string;
}

/** The Collector's kafka exporter keys (traces only), plus exporterhelper's timeout, retry and queue. */
export interface KafkaExporterConfig extends ExporterHelperConfig {
  brokers: string[];
  client_id: string;
  /** Accepted for Collector configs; kafkajs negotiates versions with the broker. */
  protocol_version?: string;
  traces: { topic: string; encoding: KafkaEncoding };
  /** Deprecated in the Collector: used for traces.topic when that is not written. */
  topic?: string;
  /** Deprecated in the Collector: used for traces.encoding when that is not written. */
  encoding?: KafkaEncoding;
  partition_traces_by_id: boolean;
  /**
   * The Collector copies these client metadata keys into record headers. Tracelake requests carry one such
   * key, the tenant, which is always written as the X-Scope-OrgID header when the request has one; so
   * only X-Scope-OrgID may be listed (or nothing), and any other key is refused rather than silently dropped.
   */
  include_metadata_keys: string[];
  /**
   * Tracelake's own key, as Tempo's distributor: when on, a request without a valid X-Scope-OrgID is
   * refused (401 without one, 400 for an invalid one) instead of reaching Kafka, where ingesters with
   * multitenancy_enabled would have to skip it. Set it as the ingesters' multitenancy_enabled.
   */
  multitenancy_enabled: boolean;
  record_partitioner: RecordPartitionerConfig;
  producer: {
    max_message_bytes: number;
    /** 0 none, 1 the leader, -1 (or `all`) every in-sync replica. */
    required_acks: 0 | 1 | -1 | 'all';
    compression: KafkaCompression;
    /** Accepted for Collector configs; sends are sized by max_message_bytes instead. */
    flush_max_messages: number;
    allow_auto_topic_creation: boolean;
  };
  metadata: {
    /** Accepted for Collector configs; kafkajs keeps metadata for the topics it uses. */
    full: boolean;
    refresh_interval: Duration;
    /** Accepted for Collector configs; kafkajs refreshes metadata within its own send retries. */
    retry: { max: number; backoff: Duration };
  };
}

const encodingSchema = { type: 'string', enum: KAFKA_ENCODINGS };

export const kafkaExporterConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    brokers: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    client_id: { type: 'string' },
    protocol_version: { type: 'string' },
    traces: {
      type: 'object',
      additionalProperties: false,
      properties: { topic: { type: 'string', minLength: 1 }, encoding: encodingSchema },
    },
    topic: { type: 'string', minLength: 1, description: 'Deprecated: traces.topic wins when both are written.' },
    encoding: { ...encodingSchema, description: 'Deprecated: traces.encoding wins when both are written.' },
    partition_traces_by_id: { type: 'boolean' },
    multitenancy_enabled: { type: 'boolean' },
    include_metadata_keys: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Only X-Scope-OrgID (any case): the tenant is the one piece of client metadata a Tracelake request '
        + 'carries, and it is written as that record header whenever the request has one, listed or not.',
    },
    record_partitioner: {
      type: 'object',
      additionalProperties: false,
      description: 'As the Collector: at most one strategy; written, it replaces the default. Tracelake supports '
        + 'sticky_key with hasher sarama_compat (the default): a keyed record goes to the partition the Collector '
        + 'would choose; unkeyed records go round-robin.',
      properties: {
        sticky_key: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          properties: { hasher: { type: 'string', enum: ['sarama_compat', 'murmur2'] } },
        },
        round_robin: { type: 'object', nullable: true, additionalProperties: false },
        least_backup: { type: 'object', nullable: true, additionalProperties: false },
        extension: { type: 'string', minLength: 1 },
      },
    },
    producer: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_message_bytes: { type: 'integer', minimum: 1024 },
        required_acks: { enum: [0, 1, -1, 'all'] },
        compression: { type: 'string', enum: KAFKA_COMPRESSIONS },
        flush_max_messages: { type: 'integer', minimum: 0 },
        allow_auto_topic_creation: { type: 'boolean' },
      },
    },
    metadata: {
      type: 'object',
      additionalProperties: false,
      properties: {
        full: { type: 'boolean' },
        refresh_interval: durationSchema,
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: { max: { type: 'integer', minimum: 0 }, backoff: durationSchema },
        },
      },
    },
    ...exporterHelperSchemaProperties,
  },
};

export function createDefaultKafkaExporterConfig(): KafkaExporterConfig {
  return {
    brokers: ['localhost:9092'],
    client_id: 'otel-collector',
    traces: { topic: 'otlp_spans', encoding: 'otlp_proto' },
    partition_traces_by_id: false,
    include_metadata_keys: [],
    multitenancy_enabled: false,
    record_partitioner: { sticky_key: { hasher: 'sarama_compat' } },
    producer: {
      max_message_bytes: 1000000,
      required_acks: 1,
      compression: 'none',
      flush_max_messages: 0,
      allow_auto_topic_creation: true,
    },
    metadata: { full: true, refresh_interval: '10m', retry: { max: 3, backoff: '250ms' } },
    ...createDefaultExporterHelperConfig(),
  };
}
