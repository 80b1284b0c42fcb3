import type { CreateSettings, TracesComponent } from '../../pipeline/component.ts';
import { BadRequestError, UnauthorizedError } from '../../pipeline/errors.ts';
import { resolveTenant } from '../../pipeline/tenant-id.ts';
import { HelperExporter } from '../exporterhelper/helper-exporter.ts';
import type { PushTraces } from '../exporterhelper/push.ts';
import type { ExporterHelperSettings } from '../exporterhelper/settings.ts';
import { buildRecords, type RecordOptions } from './build-records.ts';
import { TracesProducer, type ProducerSettings } from './traces-producer.ts';

export interface KafkaExporterSettings {
  readonly producer: ProducerSettings;
  readonly records: RecordOptions;
  readonly helper: ExporterHelperSettings;
  /** Refuse requests without a valid tenant before they reach the queue or Kafka. */
  readonly multitenancy: boolean;
}

/**
 * The `kafka` exporter: each request becomes records (buildRecords) produced to one topic; the
 * exporterhelper wrappers add timeout, retry and the optional queue. Starting does not wait for Kafka,
 * as in the Collector: an unreachable cluster is logged and every send tries to connect again.
 */
export function createKafkaExporter(settings: CreateSettings, kafka: KafkaExporterSettings): TracesComponent {
  const producer = new TracesProducer(kafka.producer, settings);
  const push: PushTraces = async (batch, ctx) => {
    await producer.send(buildRecords(batch, ctx, kafka.records));
  };
  const exporter = new HelperExporter(settings, push, {
    ...kafka.helper,
    start: async () => {
      try {
        await withDeadline(producer.connect(), kafka.producer.timeoutMs);
      } catch (err) {
        settings.logger.warn({ err, brokers: kafka.producer.brokers }, 'Kafka not reachable at start, sends will retry');
      }
    },
    shutdown: () => producer.disconnect(),
  });
  if (!kafka.multitenancy) return exporter;
  return {
    start: (host) => exporter.start(host),
    shutdown: () => exporter.shutdown(),
    consumeTraces: (batch, ctx) => {
      const resolved = resolveTenant(ctx.tenant, true);
      if (!resolved.ok) {
        return Promise.reject(resolved.missing ? new UnauthorizedError(resolved.message) : new BadRequestError(resolved.message));
      }
      return exporter.consumeTraces(batch, ctx);
    },
  };
}

function withDeadline(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms).unref();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
