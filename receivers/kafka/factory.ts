import type { ReceiverFactory } from '../../pipeline/component.ts';
import { createDefaultKafkaReceiverConfig, kafkaReceiverConfigSchema, type KafkaReceiverConfig } from './config.ts';
import { KafkaReceiver } from './kafka-receiver.ts';
import { mergeKafkaReceiverConfig } from './merge-config.ts';
import { kafkaReceiverConfigProblems, resolveKafkaReceiverSettings } from './settings.ts';

/** `kafka`: trace records written by Tracelake's or the OpenTelemetry Collector's kafka exporter. */
export const kafkaReceiverFactory = Object.freeze({
  kind: 'receiver',
  type: 'kafka',
  configSchema: kafkaReceiverConfigSchema,
  createDefaultConfig: createDefaultKafkaReceiverConfig,
  mergeConfig: mergeKafkaReceiverConfig,
  validate: kafkaReceiverConfigProblems,
  createTraces: (settings, config, next) => new KafkaReceiver(settings, resolveKafkaReceiverSettings(config), next),
} satisfies ReceiverFactory<KafkaReceiverConfig> & { mergeConfig: unknown });
