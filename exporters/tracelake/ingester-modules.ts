import path from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { writeBlock } from '../../backend/block/write-block.ts';
import type { BlocklistPoller } from '../../backend/db/blocklist-poller.ts';
import { KafkaIngester } from '../../backend/ingest/kafka-ingester.ts';
import { Ingester } from '../../backend/ingester/ingester.ts';
import type { SearchSource } from '../../backend/querier/search-source.ts';
import type { TraceSource } from '../../backend/querier/trace-source.ts';
import type { ObjectStore } from '../../backend/storage/object-store.ts';
import { registerCompressionCodecs } from '../../pipeline/kafka/compression-codecs.ts';
import { createKafka } from '../../pipeline/kafka/create-kafka.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { KafkaIngestSettings, TracelakeSettings } from './settings.ts';
import { ThreadedBlockWriter } from './threaded-block-writer.ts';

/** What the ingester offers the exporter and the querier. */
export interface IngesterModule extends TraceSource, SearchSource {
  push(tenant: string, batch: TraceBatch): Promise<void>;
  shutdown(): Promise<void>;
  /** Flushing, or holding over half its memory budget: work sharing the process (compaction) steps aside. */
  readonly busy: boolean;
}

interface IngesterContext {
  readonly settings: TracelakeSettings;
  readonly metrics: Registry;
  readonly logger: (role: string) => Logger;
}

/** The embedded ingester: pushes from this process's pipelines, made durable in its WAL. */
export async function startWalIngester(ctx: IngesterContext, store: ObjectStore, blocklist: BlocklistPoller): Promise<Ingester> {
  const { settings } = ctx;
  const ingester = new Ingester({
    walDir: path.resolve(settings.walPath),
    store,
    writeBlock,
    bloomFalsePositive: settings.bloomFalsePositive,
    traceIdlePeriodMs: settings.traceIdlePeriodMs,
    maxBlockDurationMs: settings.maxBlockDurationMs,
    maxBlockBytes: settings.maxBlockBytes,
    logger: ctx.logger('ingester'),
    metrics: ctx.metrics,
    onBlockFlushed: (meta) => blocklist.blocks.add(meta),
  });
  await ingester.start();
  return ingester;
}

/** The ingester of ingest storage: consumes the Kafka topic, Kafka being its write-ahead log. */
export async function startKafkaIngester(
  ctx: IngesterContext, ingest: KafkaIngestSettings, store: ObjectStore, blocklist: BlocklistPoller,
): Promise<IngesterModule> {
  const { settings } = ctx;
  const logger = ctx.logger('ingester');
  registerCompressionCodecs();
  const writer = new ThreadedBlockWriter(settings.store, logger);
  const ingester = new KafkaIngester({
    kafka: createKafka({ brokers: ingest.brokers, clientId: ingest.clientId, logger }),
    topic: ingest.topic,
    groupId: ingest.groupId,
    encoding: ingest.encoding,
    fromBeginning: ingest.fromBeginning,
    sessionTimeoutMs: ingest.sessionTimeoutMs,
    heartbeatIntervalMs: ingest.heartbeatIntervalMs,
    maxWaitMs: ingest.maxWaitMs,
    multitenancy: settings.multitenancy,
    store,
    writeBlock: (options) => writer.write(options),
    bloomFalsePositive: settings.bloomFalsePositive,
    maxBlockDurationMs: settings.maxBlockDurationMs,
    maxBlockBytes: settings.maxBlockBytes,
    // Records held while ranges wait to be written: beyond it, consumption waits for the flushes.
    maxUnflushedBytes: 8 * settings.maxBlockBytes,
    completeBlockTimeoutMs: settings.completeBlockTimeoutMs,
    onBlockFlushed: (meta) => blocklist.blocks.add(meta),
    logger,
    metrics: ctx.metrics,
  });
  await ingester.start();
  return {
    push: (tenant, batch) => ingester.push(tenant, batch),
    findTraceById: (tenant, traceId, range) => ingester.findTraceById(tenant, traceId, range),
    searchCandidates: (tenant, range, visit) => ingester.searchCandidates(tenant, range, visit),
    get busy() {
      return ingester.busy;
    },
    shutdown: async () => {
      try {
        await ingester.shutdown();
      } finally {
        await writer.close();
      }
    },
  };
}
