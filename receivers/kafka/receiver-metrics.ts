import type { Counter, Gauge } from 'prom-client';
import type { CreateSettings } from '../../pipeline/component.ts';
import { counter, gauge } from '../../pipeline/telemetry.ts';

/** Why a record was marked without the pipeline having accepted its spans. */
export type SkipReason = 'permanent' | 'refused' | 'stopped';

/** The receiver's metrics, labelled once; shared names with the otlp receiver where they mean the same. */
export class KafkaReceiverMetrics {
  readonly accepted: Counter.Internal;
  readonly refused: Counter.Internal;
  readonly retries: Counter.Internal;
  /** Consumer crashes, whoever restarts the consumer (kafkajs or the receiver). */
  readonly crashes: Counter.Internal;
  /** 1 once the consumer joined its group, 0 from a crash until it joins again. */
  readonly consumerUp: Gauge.Internal<string>;
  readonly #skipped: Counter<'receiver' | 'reason'>;
  readonly #lag: Gauge<'receiver' | 'topic' | 'partition'>;
  readonly #id: string;

  constructor(settings: CreateSettings) {
    const { metrics, id } = settings;
    this.#id = id;
    const labels = { receiver: id, transport: 'kafka' };
    this.accepted = counter(metrics, 'tracelake_receiver_accepted_spans_total',
      'Spans handed on to the pipeline.', ['receiver', 'transport']).labels(labels);
    this.refused = counter(metrics, 'tracelake_receiver_refused_spans_total',
      'Spans that could not be handed on: refused downstream or rejected for invalid IDs.', ['receiver', 'transport']).labels(labels);
    this.retries = counter(metrics, 'tracelake_receiver_kafka_retries_total',
      'Records handed to the pipeline again after it refused them with a retryable error.', ['receiver']).labels({ receiver: id });
    this.crashes = counter(metrics, 'tracelake_receiver_kafka_consumer_crashes_total',
      'Times the Kafka consumer crashed (each is logged at error with its cause); it is restarted after each.', ['receiver']).labels({ receiver: id });
    this.consumerUp = gauge(metrics, 'tracelake_receiver_kafka_consumer_up',
      '1 while the Kafka consumer is a member of its group, 0 from a crash until it has rejoined.', ['receiver']).labels({ receiver: id });
    this.#skipped = counter(metrics, 'tracelake_receiver_kafka_skipped_records_total',
      'Records marked as consumed without their spans reaching the pipeline, by reason.', ['receiver', 'reason']);
    this.#lag = gauge(metrics, 'tracelake_receiver_kafka_lag',
      'Records in a partition after the last one marked, as of the last fetched batch.', ['receiver', 'topic', 'partition']);
  }

  skipped(reason: SkipReason): void {
    this.#skipped.inc({ receiver: this.#id, reason });
  }

  lag(topic: string, partition: number, records: number): void {
    this.#lag.set({ receiver: this.#id, topic, partition: String(partition) }, records);
  }
}
