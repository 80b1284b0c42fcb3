/**
 * Bytes Kafka counts for records, as sarama and franz-go estimate them: key + value + header keys and
 * values, plus at most 36 bytes of per-record framing (varints, attributes), plus 61 bytes per record batch.
 */
export const RECORD_OVERHEAD = 36;
export const BATCH_OVERHEAD = 61;

export function recordSize(key: Uint8Array | null, value: Uint8Array, headerBytes: number): number {
  return (key?.length ?? 0) + value.length + headerBytes + RECORD_OVERHEAD;
}
