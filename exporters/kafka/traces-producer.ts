import type { CompressionTypes, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { CreateSettings } from '../../pipeline/component.ts';
import { registerCompressionCodecs } from '../../pipeline/kafka/compression-codecs.ts';
import { createKafka } from '../../pipeline/kafka/create-kafka.ts';
import { counter } from '../../pipeline/telemetry.ts';
import type { OutgoingRecord } from './build-records.ts';
import { isNonRetriableKafkaError, toExportError } from './kafka-errors.ts';
import { ProduceBatcher } from './produce-batcher.ts';
import { createTraceIdPartitioner } from './trace-id-partitioner.ts';

export interface ProducerSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly acks: -1 | 0 | 1;
  readonly compression: CompressionTypes;
  /** How long the broker may take to gather the acks; also bounds kafkajs's own retries. */
  readonly timeoutMs: number;
  readonly maxMessageBytes: number;
  readonly allowAutoTopicCreation: boolean;
  readonly metadataMaxAgeMs: number;
  /** How long concurrent calls are gathered into one sendBatch; 0 = the current I/O phase. */
  readonly lingerMs: number;
}

/**
 * A kafkajs producer for one topic that connects on first use (and again after a failed attempt) and
 * coalesces concurrent sends. Failures come out of the error catalogue (see toExportError).
 */
export class TracesProducer {
  readonly #settings: ProducerSettings;
  readonly #logger: Logger;
  readonly #producer: Producer;
  readonly #batcher: ProduceBatcher;
  readonly #calls: Counter.Internal;
  readonly #records: Counter.Internal;
  #connecting: Promise<void> | undefined;
  #connectSettled = false;

  constructor(settings: ProducerSettings, create: Pick<CreateSettings, 'id' | 'logger' | 'metrics'>) {
    this.#settings = settings;
    const logger = create.logger;
    this.#logger = logger;
    const labels = { exporter: create.id };
    this.#calls = counter(create.metrics, 'tracelake_exporter_kafka_produce_calls_total',
      'kafkajs sendBatch calls (one produce request per broker leading a partition written).', ['exporter']).labels(labels);
    this.#records = counter(create.metrics, 'tracelake_exporter_kafka_records_total',
      'Records Kafka acknowledged.', ['exporter']).labels(labels);
    registerCompressionCodecs();
    const kafka = createKafka({ brokers: settings.brokers, clientId: settings.clientId, logger });
    this.#producer = kafka.producer({
      createPartitioner: createTraceIdPartitioner,
      allowAutoTopicCreation: settings.allowAutoTopicCreation,
      metadataMaxAge: settings.metadataMaxAgeMs,
      idempotent: false, // kafkajs's idempotence requires acks -1; the exporter's retries are at-least-once anyway
      retry: { initialRetryTime: 100, retries: 5, maxRetryTime: Math.max(settings.timeoutMs, 1000) },
    });
    this.#batcher = new ProduceBatcher({
      send: (messages) => this.#sendBatch(messages),
      maxCallBytes: settings.maxMessageBytes,
      lingerMs: settings.lingerMs,
    });
  }

  /** Connects, or joins the attempt under way; a failed attempt is forgotten so the next call tries again. */
  connect(): Promise<void> {
    if (this.#connecting === undefined) {
      this.#connectSettled = false;
      this.#connecting = this.#producer.connect().then(() => {
        this.#connectSettled = true;
      }, (err: unknown) => {
        this.#connectSettled = true;
        this.#connecting = undefined;
        throw toExportError(err, this.#settings.brokers);
      });
    }
    return this.#connecting;
  }

  /** Resolves once Kafka acknowledged every record (as producer.required_acks asks). */
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    await this.connect();
    await this.#batcher.produce(records);
  }

  async disconnect(): Promise<void> {
    this.#batcher.flush();
    const connecting = this.#connecting;
    if (connecting !== undefined && !this.#connectSettled) {
      // Reaching an unreachable cluster can take kafkajs seconds of retries: close now, and again if it gets there.
      void connecting.then(() => this.#producer.disconnect(), () => undefined) // its failure went to its callers
        .catch((err: unknown) => this.#logger.warn({ err }, 'closing a late Kafka connection failed'));
    }
    await this.#producer.disconnect();
  }

  async #sendBatch(messages: Message[]): Promise<void> {
    const { topic, acks, compression, timeoutMs } = this.#settings;
    this.#calls.inc();
    try {
      await this.#producer.sendBatch({ topicMessages: [{ topic, messages }], acks, compression, timeout: timeoutMs });
      this.#records.inc(messages.length);
    } catch (err) {
      if (isNonRetriableKafkaError(err)) this.#logger.error({ err, topic }, 'Kafka refused a produce request');
      throw toExportError(err, this.#settings.brokers);
    }
  }
}
