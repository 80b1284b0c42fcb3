import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

/**
 * The partitioner of the Collector's kafka exporter (franz-go StickyKeyPartitioner with SaramaCompatHasher,
 * as sarama's hash partitioner before it): a keyed record goes to |int32(fnv1a32(key))| mod partitions, so
 * Tracelake and Collector gateways writing one topic put a trace ID in the same partition. Records without
 * a key go round-robin.
 */
export const createTraceIdPartitioner: ICustomPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata, message }: PartitionerArgs): number => {
    const n = partitionMetadata.length;
    const key = message.key;
    if (key === null || key === undefined) return next++ % n;
    return saramaPartition(typeof key === 'string' ? Buffer.from(key) : key, n);
  };
};

export function saramaPartition(key: Uint8Array, partitions: number): number {
  return Math.abs((fnv1a32(key) | 0) % partitions); // Go's % truncates toward zero, as JavaScript's does
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a32(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h >>> 0;
}
