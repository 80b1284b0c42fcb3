import type { Factory } from '../pipeline/component.ts';
import { debugExporterFactory } from '../exporters/debug/factory.ts';
import { kafkaExporterFactory } from '../exporters/kafka/factory.ts';
import { tracelakeExporterFactory } from '../exporters/tracelake/factory.ts';
import { healthCheckExtensionFactory } from '../extensions/health-check/factory.ts';
import { batchProcessorFactory } from '../processors/batch/factory.ts';
import { memoryLimiterProcessorFactory } from '../processors/memory-limiter/factory.ts';
import { kafkaReceiverFactory } from '../receivers/kafka/factory.ts';
import { otlpReceiverFactory } from '../receivers/otlp/factory.ts';

/** Every component this build of tracelake has, as the Collector's components.go. */
export const components: readonly Factory[] = Object.freeze([
  otlpReceiverFactory,
  kafkaReceiverFactory,
  memoryLimiterProcessorFactory,
  batchProcessorFactory,
  debugExporterFactory,
  tracelakeExporterFactory,
  kafkaExporterFactory,
  healthCheckExtensionFactory,
]);
