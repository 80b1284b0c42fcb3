import type { Consumer } from 'kafkajs';
import type { Component, CreateSettings, Host, TracesConsumer } from '../../pipeline/component.ts';
import { TracelakeError } from '../../pipeline/errors.ts';
import { registerCompressionCodecs } from '../../pipeline/kafka/compression-codecs.ts';
import { createKafka } from '../../pipeline/kafka/create-kafka.ts';
import { BatchConsumer } from './batch-consumer.ts';
import { ConsumerSupervisor } from './consumer-supervisor.ts';
import { RecordDelivery } from './record-delivery.ts';
import { subscribeTopics } from '../../pipeline/kafka/subscribe-topics.ts';
import { KafkaReceiverMetrics } from './receiver-metrics.ts';
import type { KafkaReceiverSettings } from './settings.ts';

/**
 * Batches of this many partitions are consumed at once. A worker is only a pending promise, and what it
 * holds is bounded by max_partition_fetch_size, so this is generous rather than tuned.
 */
const PARTITIONS_CONSUMED_CONCURRENTLY = 64;

/**
 * Consumes trace records from Kafka in a consumer group (several receivers with one group_id share the
 * partitions) and hands them on at-least-once: see BatchConsumer for when an offset is marked. start()
 * resolves once the group was joined; it fails when no broker answers within kafkajs's retries. Later
 * crashes are restarted, by kafkajs or else by ConsumerSupervisor.
 */
export class KafkaReceiver implements Component {
  readonly #settings: CreateSettings;
  readonly #options: KafkaReceiverSettings;
  readonly #next: TracesConsumer;
  readonly #abort = new AbortController();
  readonly #metrics: KafkaReceiverMetrics;
  #supervisor: ConsumerSupervisor | undefined;
  #stopped: Promise<void> | undefined;

  constructor(settings: CreateSettings, options: KafkaReceiverSettings, next: TracesConsumer) {
    this.#settings = settings;
    this.#options = options;
    this.#next = next;
    this.#metrics = new KafkaReceiverMetrics(settings);
  }

  async start(host: Host): Promise<void> {
    if (this.#stopped !== undefined || this.#supervisor !== undefined) return;
    host.signal.addEventListener('abort', () => this.#abort.abort(), { once: true });
    registerCompressionCodecs();
    const { logger } = this.#settings;
    const o = this.#options;
    const kafka = createKafka({ brokers: o.brokers, clientId: o.clientId, logger });
    const batches = this.#batchConsumer();
    const supervisor = new ConsumerSupervisor({
      create: () => kafka.consumer({
        groupId: o.groupId,
        sessionTimeout: o.sessionTimeoutMs,
        heartbeatInterval: o.heartbeatIntervalMs,
        minBytes: o.minBytes,
        ...(o.maxBytes === undefined ? {} : { maxBytes: o.maxBytes }),
        maxWaitTimeInMs: o.maxWaitTimeMs,
        maxBytesPerPartition: o.maxBytesPerPartition,
      }),
      run: async (consumer: Consumer) => {
        await consumer.connect();
        await subscribeTopics(consumer, { topics: o.topics, fromBeginning: o.fromBeginning, signal: this.#abort.signal, logger });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
          eachBatch: (payload) => batches.consume(payload),
        });
      },
      restart: o.restart,
      metrics: this.#metrics,
      logger,
      signal: this.#abort.signal,
    });
    this.#supervisor = supervisor;
    try {
      await supervisor.start();
    } catch (cause) {
      await this.#disconnect().catch((err: unknown) => logger.warn({ err }, 'disconnecting after a failed start failed'));
      throw new TracelakeError(`cannot consume from kafka brokers ${o.brokers.join(',')}: ${(cause as Error).message}`, { cause });
    }
    logger.info({ brokers: o.brokers, topics: o.topics.map(String), group_id: o.groupId, encoding: o.encoding }, 'receiver consuming');
  }

  /** Stops fetching, lets the batches in hand finish and commit, then leaves the group. Idempotent. */
  shutdown(): Promise<void> {
    this.#stopped ??= this.#disconnect();
    return this.#stopped;
  }

  #batchConsumer(): BatchConsumer {
    const o = this.#options;
    return new BatchConsumer({
      delivery: new RecordDelivery(this.#next, o.encoding),
      markAfter: o.markAfter,
      skipOnRetryableError: o.skipOnRetryableError,
      backoff: o.backoff,
      signal: this.#abort.signal,
      metrics: this.#metrics,
      logger: this.#settings.logger,
    });
  }

  async #disconnect(): Promise<void> {
    this.#abort.abort();
    await this.#supervisor?.stop();
  }
}
