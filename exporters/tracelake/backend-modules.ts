import path from 'node:path';
import type { Logger } from 'pino';
import { ApiServer } from '../../backend/api/api-server.ts';
import { tempoRoutes } from '../../backend/api/tempo-routes.ts';
import { writeBlock } from '../../backend/block/write-block.ts';
import { TraceDb } from '../../backend/db/trace-db.ts';
import { Ingester } from '../../backend/ingester/ingester.ts';
import { Querier } from '../../backend/querier/querier.ts';
import type { CreateSettings } from '../../pipeline/component.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { objectStoreFor } from './object-store-for.ts';
import type { TracelakeSettings } from './settings.ts';
import { startBlocklist, startBlockReader, startCompactor, type Stop } from './storage-modules.ts';

/** The backend roles running in this process, seen from the exporter: a way in, a way to stop. */
export interface RunningBackend {
  /** Hands a batch to the ingester; resolves once it is in the WAL. */
  push(tenant: string, batch: TraceBatch): Promise<void>;
  apiAddress(): { address: string; port: number };
  /** Stops the modules in reverse start order; the ingester flushes its live traces. */
  stop(): Promise<void>;
}

/**
 * Starts every backend role in one process and wires them by interface: storage → block list (polled) →
 * ingester (replays the WAL) → compactor → querier over live data and blocks → Tempo API. Roles never
 * import each other; this is the only place that knows all of them, so a role can later run alone behind
 * a client of the same interface. Modules stop in reverse order.
 */
export async function startBackend(settings: TracelakeSettings, create: CreateSettings): Promise<RunningBackend> {
  const stops: Stop[] = [];
  const role = (name: string): Logger => create.logger.child({ role: name });
  try {
    const opened = objectStoreFor(settings.store);
    stops.push(async () => opened.close());
    const { store } = opened;
    const ctx = { settings, store, metrics: create.metrics, logger: role };
    const blocklist = await startBlocklist(ctx);
    stops.push(blocklist.stop);
    const { blocks } = blocklist;

    const ingester = new Ingester({
      walDir: path.resolve(settings.walPath),
      store,
      writeBlock,
      bloomFalsePositive: settings.bloomFalsePositive,
      traceIdlePeriodMs: settings.traceIdlePeriodMs,
      maxBlockDurationMs: settings.maxBlockDurationMs,
      maxBlockBytes: settings.maxBlockBytes,
      logger: role('ingester'),
      metrics: create.metrics,
      onBlockFlushed: (meta) => blocks.add(meta),
    });
    await ingester.start();
    stops.push(() => ingester.shutdown());
    stops.push(startCompactor(ctx, blocks));

    const { reader, stop: stopReader } = startBlockReader(ctx, blocklist.poller);
    stops.push(stopReader);
    const traceDb = new TraceDb({ blocks, reader, compactedLookbackMs: 2 * settings.blocklistPollMs });
    const querier = new Querier({ sources: [ingester, traceDb], logger: role('querier') });
    let ready = false;
    const api = new ApiServer({
      listenAddress: settings.listenAddress,
      port: settings.port,
      routes: tempoRoutes({
        lookup: querier,
        multitenancy: settings.multitenancy,
        isReady: () => ready,
        build: create.build,
        metrics: create.metrics,
      }),
      logger: role('api'),
      metrics: create.metrics,
    });
    await api.start();
    stops.push(() => api.stop());
    stops.push(async () => {
      ready = false;
    });
    ready = true;

    return {
      push: (tenant, batch) => ingester.push(tenant, batch),
      apiAddress: () => api.address(),
      stop: () => stopAll(stops),
    };
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
}

/** Reverse order; every module is stopped even if one fails, then the first failure is thrown. */
async function stopAll(stops: readonly Stop[]): Promise<void> {
  let first: unknown;
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}
