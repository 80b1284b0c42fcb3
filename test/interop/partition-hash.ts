/**
 * The two ways a keyed Kafka record is placed, written from their definitions, to tell which one a producer used:
 * - murmur2: the Java client's default partitioner (`toPositive(murmur2(key)) % n`), also kafkajs's and
 *   franz-go's default StickyKeyPartitioner.
 * - sarama_compat: Sarama's hash partitioner (FNV-1a 32, then `|int32(h) % n|`), the OpenTelemetry
 *   Collector kafka exporter's default `record_partitioner.sticky_key.hasher`.
 */

export type Hasher = 'murmur2' | 'sarama_compat';

export function partitionFor(hasher: Hasher, key: Buffer, partitions: number): number {
  if (hasher === 'murmur2') return (murmur2(key) & 0x7fffffff) % partitions;
  return Math.abs((fnv1a32(key) | 0) % partitions);
}

/** Kafka's org.apache.kafka.common.utils.Utils.murmur2. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  switch (length % 4) {
    case 3: h ^= data[tail + 2]! << 16; // falls through
    case 2: h ^= data[tail + 1]! << 8; // falls through
    case 1:
      h ^= data[tail]!;
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function fnv1a32(data: Buffer): number {
  let h = 0x811c9dc5;
  for (const byte of data) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Which hashers explain every record's partition (a record without a key explains nothing). */
export function explainingHashers(records: ReadonlyArray<{ key: string | null; partition: number }>, partitions: number): Hasher[] {
  const keyed = records.filter((r) => r.key !== null);
  if (keyed.length === 0) return [];
  return (['murmur2', 'sarama_compat'] as const).filter((h) =>
    keyed.every((r) => partitionFor(h, Buffer.from(r.key!, 'utf8'), partitions) === r.partition));
}
