import kafkajs from 'kafkajs';
import { parseDuration } from '../../pipeline/config/units.ts';
import { exporterHelperConfigProblems, resolveExporterHelperSettings } from '../exporterhelper/settings.ts';
import type { KafkaCompression, KafkaExporterConfig } from './config.ts';
import type { KafkaExporterSettings } from './kafka-exporter.ts';

const { CompressionTypes } = kafkajs; // CommonJS: no named exports under Node's ESM

const COMPRESSION: Readonly<Record<KafkaCompression, kafkajs.CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
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
  };
}

export function kafkaExporterConfigProblems(config: KafkaExporterConfig): string[] {
  return exporterHelperConfigProblems(config);
}
