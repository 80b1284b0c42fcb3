import type { Counter, Gauge, Registry } from 'prom-client';
import { counter, gauge } from '../../pipeline/telemetry.ts';
import { ingesterMetrics, type IngesterMetrics } from '../ingester/ingester-metrics.ts';

export interface KafkaIngestMetrics extends Omit<IngesterMetrics, 'walBytesWritten'> {
  readonly records: Counter;
  readonly spans: Counter;
  readonly skipped: Counter<'reason'>;
  readonly lag: Gauge<'partition'>;
  readonly heldBytes: Gauge;
}

/** The ingester's block metrics, plus what consuming Kafka adds. */
export function kafkaIngestMetrics(registry: Registry): KafkaIngestMetrics {
  return {
    ...ingesterMetrics(registry),
    records: counter(registry, 'tracelake_ingester_kafka_records_total', 'Kafka records consumed.', []),
    spans: counter(registry, 'tracelake_ingester_kafka_spans_total', 'Spans of the Kafka records consumed.', []),
    skipped: counter(registry, 'tracelake_ingester_kafka_skipped_records_total',
      'Kafka records (or spans of them) that could not be stored: malformed, no valid tenant, invalid IDs.', ['reason']),
    lag: gauge(registry, 'tracelake_ingester_kafka_lag', 'Records in the partition after the last one consumed.', ['partition']),
    heldBytes: gauge(registry, 'tracelake_ingester_kafka_held_bytes', 'Record bytes held in memory until their range is flushed.', []),
  };
}
