import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BlockMeta } from '../../backend/block/block-meta.ts';
import { BlockReader } from '../../backend/block/block-reader.ts';
import { listTenants } from '../../backend/block/read-block-metas.ts';
import { Compactor } from '../../backend/compactor/compactor.ts';
import type { BlockList } from '../../backend/db/block-list.ts';
import { BlocklistPoller } from '../../backend/db/blocklist-poller.ts';
import type { ObjectStore } from '../../backend/storage/object-store.ts';
import type { TracelakeSettings } from './settings.ts';

/** A started module and how to stop it. */
export type Stop = () => Promise<void>;

interface ModuleContext {
  readonly settings: TracelakeSettings;
  readonly store: ObjectStore;
  readonly metrics: Registry;
  readonly logger: (role: string) => Logger;
}

/**
 * The block list, kept by polling: a `builder` lists the bucket and writes each tenant's index.json.gz,
 * a `reader` reads only index.json.gz.
 */
export async function startBlocklist(
  ctx: ModuleContext, mode: 'builder' | 'reader',
): Promise<{ blocks: BlockList; poller: BlocklistPoller; stop: Stop }> {
  const poller = new BlocklistPoller({
    store: ctx.store, mode, logger: ctx.logger('blocklist'), metrics: ctx.metrics,
    pollIntervalMs: ctx.settings.blocklistPollMs,
  });
  await poller.start();
  return { blocks: poller.blocks, poller, stop: () => poller.stop() };
}

/**
 * A block reader whose bloom filters and indexes are loaded in the background, from the start and as
 * polls find new blocks: without them, a lookup fetches one bloom shard per block it has not seen
 * (bench/s3-trace-by-id.bench.ts).
 */
export function startBlockReader(ctx: ModuleContext, poller: BlocklistPoller): { reader: BlockReader; stop: Stop } {
  const reader = new BlockReader(ctx.store);
  const warming = new AbortController();
  const preload = (metas: readonly BlockMeta[]): Promise<void> =>
    reader.preload(metas, { signal: warming.signal }).then((r) => {
      if (r.failed > 0) ctx.logger('querier').warn({ err: r.firstError, failed: r.failed }, 'block preload incomplete');
    });
  const { blocks } = poller;
  let preloaded = preload(blocks.tenants().flatMap((tenant) => blocks.forTenant(tenant)));
  poller.onPolled((fresh) => { preloaded = preloaded.then(() => preload(fresh)); });
  return { reader, stop: async () => { warming.abort(); await preloaded; } };
}

/**
 * Compaction, retention and clean-up, keeping this process's block list in step as it goes. With an ingester
 * in the same process (`ingestBusy`), compaction steps aside every few hundred traces while the ingester is
 * busy (for up to half a second each time): on a machine too small for both, ingest goes first.
 */
export function startCompactor(ctx: ModuleContext, blocks: BlockList, ingestBusy?: () => boolean): Stop {
  const compactor = new Compactor({
    store: ctx.store,
    logger: ctx.logger('compactor'),
    metrics: ctx.metrics,
    config: ctx.settings.compactor,
    bloomFalsePositive: ctx.settings.bloomFalsePositive,
    listTenants: () => listTenants(ctx.store),
    listBlocks: async (tenant) => blocks.forTenant(tenant),
    listCompacted: async (tenant) => blocks.compactedForTenant(tenant),
    ...(ingestBusy === undefined ? {} : { yieldToIngest: () => stepAside(ingestBusy) }),
    onBlocksChanged: ({ tenant, added, removed }) => {
      for (const meta of added) blocks.add(meta);
      for (const blockID of removed) blocks.remove(tenant, blockID);
    },
  });
  compactor.start();
  return () => compactor.stop();
}

const STEP_ASIDE_MAX_MS = 500;

async function stepAside(busy: () => boolean): Promise<void> {
  await yieldToEventLoop();
  for (let waited = 0; busy() && waited < STEP_ASIDE_MAX_MS; waited += 50) await sleep(50);
}
