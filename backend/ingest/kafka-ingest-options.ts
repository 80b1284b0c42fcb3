import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import type { WriteBlockOptions } from '../block/write-block.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export interface KafkaIngestOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** The ingesters' consumer group: Kafka splits the topic's partitions between its members. */
  readonly groupId: string;
  readonly encoding: KafkaEncoding;
  /** Where a group with no committed offset starts: the oldest record (true) or the next new one. */
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Longest a fetch waits for new records: bounds how soon a record is queryable. */
  readonly maxWaitMs: number;
  /** Records without a valid X-Scope-OrgID header are skipped when on; everything is `single-tenant` when off. */
  readonly multitenancy: boolean;
  /** Where blocks are read back from while this ingester still answers for them. */
  readonly store: ObjectStore;
  /** Writes a block to `store` (on another thread, in production). */
  readonly writeBlock: (options: WriteBlockOptions) => Promise<BlockMeta>;
  readonly bloomFalsePositive: number;
  /** A partition's range is cut this long after its first record… */
  readonly maxBlockDurationMs: number;
  /** …or once it holds this many record bytes. */
  readonly maxBlockBytes: number;
  /** Record bytes held over all partitions before consumption waits for flushes. */
  readonly maxUnflushedBytes: number;
  /** How long this ingester keeps answering for the blocks it flushed. */
  readonly completeBlockTimeoutMs: number;
  readonly onBlockFlushed: (meta: BlockMeta) => void | Promise<void>;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly now?: () => number;
}
