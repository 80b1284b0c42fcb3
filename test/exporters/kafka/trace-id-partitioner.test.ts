import assert from 'node:assert/strict';
import type { PartitionerArgs } from 'kafkajs';
import { createTraceIdPartitioner, fnv1a32, saramaPartition } from '../../../exporters/kafka/trace-id-partitioner.ts';

function args(key: Buffer | null, partitions: number): PartitionerArgs {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1], offlineReplicas: [],
  }));
  return { topic: 't', partitionMetadata, message: { key, value: Buffer.from('v') } };
}

describe('trace ID partitioner', () => {
  it('hashes with 32-bit FNV-1a (published test vectors)', () => {
    assert.equal(fnv1a32(Buffer.from('')), 0x811c9dc5);
    assert.equal(fnv1a32(Buffer.from('a')), 0xe40c292c);
    assert.equal(fnv1a32(Buffer.from('foobar')), 0xbf9cf968);
  });

  it('takes the partition as sarama does: |int32(hash) mod n|', () => {
    // fnv1a32('foobar') = 0xbf9cf968 = -1080231576 as int32; Go's % truncates: -4 → 4.
    assert.equal(saramaPartition(Buffer.from('foobar'), 7), 4);
    // fnv1a32('a') = 0xe40c292c = -468965076 as int32; -6 → 6.
    assert.equal(saramaPartition(Buffer.from('a'), 10), 6);
  });

  it('sends every record of a key to the same partition', () => {
    const partition = createTraceIdPartitioner();
    const key = Buffer.from('5b8efff798038103d269b633813fc60c');
    const chosen = new Set(Array.from({ length: 20 }, () => partition(args(key, 12))));
    assert.deepEqual([...chosen], [saramaPartition(key, 12)]);
  });

  it('spreads records without a key over every partition', () => {
    const partition = createTraceIdPartitioner();
    const chosen = new Set(Array.from({ length: 8 }, () => partition(args(null, 4))));
    assert.equal(chosen.size, 4);
  });
});
