import { BROKERS, type Encoding } from './kafka-records.ts';

/**
 * The `kafka` exporter and receiver config blocks, written once in the OpenTelemetry Collector's own
 * (v0.165) form and given unchanged to both the Collector and Tracelake: the same block must work on either
 * side of the swap.
 */

/** The Collector's producer.compression values; Tracelake's exporter writes each of them too. */
export type Compression = 'none' | 'gzip' | 'zstd' | 'snappy' | 'lz4';

export interface ExporterOptions {
  readonly topic: string;
  readonly encoding: Encoding;
  readonly compression: Compression;
  readonly partitionTracesById: boolean;
  /** Collector only: its record_partitioner (Tracelake's fixed one is sticky_key / sarama_compat). */
  readonly collectorHasher?: 'sarama_compat' | 'murmur2';
}

export function kafkaExporterSection(o: ExporterOptions): Record<string, unknown> {
  return {
    brokers: BROKERS,
    client_id: 'tracelake-interop',
    traces: { topic: o.topic, encoding: o.encoding },
    partition_traces_by_id: o.partitionTracesById,
    producer: { compression: o.compression },
    // With the queue off the OTLP client's success means the broker acknowledged the records.
    sending_queue: { enabled: false },
    timeout: '10s',
  };
}

export function collectorKafkaExporterSection(o: ExporterOptions): Record<string, unknown> {
  const section = kafkaExporterSection(o);
  if (o.collectorHasher !== undefined) section.record_partitioner = { sticky_key: { hasher: o.collectorHasher } };
  return section;
}

export interface ReceiverOptions {
  readonly topic: string;
  readonly encoding: Encoding;
  readonly groupId: string;
}

export function kafkaReceiverSection(o: ReceiverOptions): Record<string, unknown> {
  return {
    brokers: BROKERS,
    client_id: 'tracelake-interop',
    group_id: o.groupId,
    initial_offset: 'earliest',
    traces: { topics: [o.topic], encoding: o.encoding },
  };
}
