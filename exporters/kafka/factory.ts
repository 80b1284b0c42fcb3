import type { ExporterFactory } from '../../pipeline/component.ts';
import { deepMerge, isPlainObject } from '../../pipeline/config/deep-merge.ts';
import { createDefaultKafkaExporterConfig, kafkaExporterConfigSchema, type KafkaExporterConfig } from './config.ts';
import { createKafkaExporter } from './kafka-exporter.ts';
import { kafkaExporterConfigProblems, resolveKafkaExporterSettings } from './settings.ts';

/** `kafka`: produces OTLP traces to a Kafka topic, as the Collector's kafka exporter. */
export const kafkaExporterFactory = Object.freeze({
  kind: 'exporter',
  type: 'kafka',
  configSchema: kafkaExporterConfigSchema,
  createDefaultConfig: createDefaultKafkaExporterConfig,
  validate: kafkaExporterConfigProblems,

  /**
   * As the Collector: the deprecated top-level `topic` / `encoding` apply where `traces.*` is not written,
   * and a written `record_partitioner` replaces the default strategy instead of adding to it.
   */
  mergeConfig(defaults: KafkaExporterConfig, user: unknown): KafkaExporterConfig {
    const merged = deepMerge(defaults, user) as KafkaExporterConfig;
    if (!isPlainObject(user)) return merged;
    const partitioner = user.record_partitioner;
    if (isPlainObject(partitioner) && Object.keys(partitioner).length > 0) {
      merged.record_partitioner = deepMerge({}, partitioner) as KafkaExporterConfig['record_partitioner'];
    }
    if (!isPlainObject(merged.traces)) return merged;
    const traces = isPlainObject(user.traces) ? user.traces : {};
    if (user.topic !== undefined && traces.topic === undefined) merged.traces.topic = user.topic as string;
    if (user.encoding !== undefined && traces.encoding === undefined) {
      merged.traces.encoding = user.encoding as KafkaExporterConfig['encoding'] & string;
    }
    return merged;
  },

  createTraces(settings, config) {
    return createKafkaExporter(settings, resolveKafkaExporterSettings(config));
  },
} satisfies ExporterFactory<KafkaExporterConfig> & { mergeConfig: unknown });
