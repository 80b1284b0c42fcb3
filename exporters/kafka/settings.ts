import kafkajs from 'kafkajs';
import { parseDuration } from '../../pipeline/config/units.ts';
import { TENANT_HEADER } from '../../pipeline/kafka/tenant-header.ts';
import { exporterHelperConfigProblems, resolveExporterHelperSettings } from '../exporterhelper/settings.ts';
import type { KafkaCompression, KafkaExporterConfig, RecordPartitionerConfig } from './config.ts';
import type { KafkaExporterSettings } from './kafka-exporter.ts';

const { CompressionTypes } = kafkajs; // CommonJS: no named exports under Node's ESM

const COMPRESSION: Readonly<Record<KafkaCompression, kafkajs.CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** Concurrent sends arriving within this long share one produce call. */
const LINGER_MS = 0;

export function resolveKafkaExporterSettings(config: KafkaExporterConfig): KafkaExporterSettings {
  const helper = resolveExporterHelperSettings(config);
  const { producer } = config;
  return {
    producer: {
      brokers: config.brokers,
      clientId: config.client_id,
      topic: config.traces.topic,
      acks: producer.required_acks === 'all' ? -1 : producer.required_acks,
      compression: COMPRESSION[producer.compression],
      timeoutMs: helper.timeoutMs > 0 ? helper.timeoutMs : 30_000,
      maxMessageBytes: producer.max_message_bytes,
      allowAutoTopicCreation: producer.allow_auto_topic_creation,
      metadataMaxAgeMs: parseDuration(config.metadata.refresh_interval),
      lingerMs: LINGER_MS,
    },
    records: {
      encoding: config.traces.encoding,
      partitionByTraceId: config.partition_traces_by_id,
      maxMessageBytes: producer.max_message_bytes,
    },
    helper,
    multitenancy: config.multitenancy_enabled,
  };
}

export function kafkaExporterConfigProblems(config: KafkaExporterConfig): string[] {
  return [
    ...exporterHelperConfigProblems(config),
    ...includeMetadataKeysProblems(config.include_metadata_keys),
    ...recordPartitionerProblems(config.record_partitioner),
  ];
}

const TENANT_KEY = TENANT_HEADER.toLowerCase();

/** Keys other than the tenant cannot be carried: a Tracelake request keeps no other client metadata. */
function includeMetadataKeysProblems(keys: readonly string[]): string[] {
  return keys.filter((key) => key.toLowerCase() !== TENANT_KEY).map((key) => `include_metadata_keys: "${key}" cannot be `
    + `written as a record header: Tracelake requests carry only the tenant (${TENANT_HEADER}), which is always `
    + `written when the request has one; remove "${key}"`);
}

const SUPPORTED_PARTITIONER = 'Tracelake partitions keyed records as sticky_key with hasher sarama_compat (the '
  + 'Collector\'s default), so a trace ID lands in the same partition from either; remove record_partitioner or '
  + 'write sticky_key: { hasher: sarama_compat }';

function recordPartitionerProblems(p: RecordPartitionerConfig): string[] {
  const set = (['sticky_key', 'round_robin', 'least_backup', 'extension'] as const).filter((k) => k in p && p[k] !== undefined);
  if (set.length > 1) return [`record_partitioner: at most one strategy may be configured, found ${set.join(', ')}`];
  const strategy = set[0];
  if (strategy === undefined || strategy === 'sticky_key') {
    const hasher = p.sticky_key?.hasher ?? 'sarama_compat';
    if (hasher === 'sarama_compat') return [];
    return [`record_partitioner.sticky_key.hasher: ${hasher} is not supported: ${SUPPORTED_PARTITIONER}`];
  }
  return [`record_partitioner.${strategy}: not supported: ${SUPPORTED_PARTITIONER}`];
}
