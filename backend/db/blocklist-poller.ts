import type { Logger } from 'pino';
import { RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import { mapBounded } from '../block/map-bounded.ts';
import { listTenants } from '../block/read-block-metas.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { BlockList } from './block-list.ts';
import { blocklistPollerMetrics, type BlocklistPollerMetrics } from './blocklist-poller-metrics.ts';
import { checkPollerOptions, DEFAULT_BLOCKLIST_POLL_MS, type BlocklistPollerOptions } from './blocklist-poller-options.ts';
import { listTenantObjects, readTenantBlocks, type TenantBlocks } from './tenant-blocks.ts';
import { readTenantIndex, writeTenantIndex, type TenantIndex } from './tenant-index.ts';

/** An index's created_at is the builder's clock: blocks announced this long before it are kept anyway. */
const CLOCK_SKEW_MS = 30_000;

export interface PollSummary {
  /** Tenants whose list came from their index.json.gz. */
  readonly fromIndex: readonly string[];
  /** Tenants whose blocks were listed in the bucket. */
  readonly listed: readonly string[];
  /** Tenants whose poll failed; their previous list is kept. */
  readonly failed: readonly string[];
}

/** Told of the live blocks a poll found that this poller had not found before (whoever else added them). */
export type PollListener = (newMetas: readonly BlockMeta[]) => void;

/**
 * Keeps a BlockList up to date from object storage. A builder lists every tenant's blocks (reading only
 * metas it has not seen) and writes the tenant index; a reader reads the index, listing only as a fallback.
 */
export class BlocklistPoller {
  readonly blocks: BlockList;
  readonly #store: ObjectStore;
  readonly #logger: Logger;
  readonly #metrics: BlocklistPollerMetrics;
  readonly #mode: 'builder' | 'reader';
  readonly #intervalMs: number;
  readonly #staleMs: number;
  readonly #concurrency: number;
  readonly #tenantConcurrency: number;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  #state: 'new' | 'running' | 'stopped' = 'new';
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  readonly #listeners: PollListener[] = [];
  /** Tenant → IDs of the live blocks its last poll found; what "new" is measured against. */
  readonly #found = new Map<string, ReadonlySet<string>>();
  /** New blocks of the poll in progress (polls never overlap). */
  #fresh: BlockMeta[] = [];

  constructor(options: BlocklistPollerOptions) {
    checkPollerOptions(options);
    this.blocks = options.blocks ?? new BlockList();
    this.#store = options.store;
    this.#logger = options.logger;
    this.#metrics = blocklistPollerMetrics(options.metrics);
    this.#mode = options.mode;
    this.#intervalMs = options.pollIntervalMs ?? DEFAULT_BLOCKLIST_POLL_MS;
    this.#staleMs = options.staleIndexMs ?? 2 * this.#intervalMs;
    this.#concurrency = options.concurrency ?? 16;
    this.#tenantConcurrency = options.tenantConcurrency ?? 4;
    this.#now = options.now ?? Date.now;
  }

  /** Polls once, so queries start with the whole list (throws when any tenant failed), then on a timer. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new TracelakeError('blocklist poller started twice');
    this.#state = 'running';
    const summary = await this.pollOnce();
    if (summary.failed.length > 0) {
      throw new RetryableError(`blocklist poll failed for tenant(s) ${summary.failed.join(', ')}`);
    }
    this.#schedule();
  }

  /** One poll of every tenant; polls never overlap, a call during one runs after it. */
  pollOnce(): Promise<PollSummary> {
    if (this.#state === 'stopped') return Promise.reject(new TracelakeError('blocklist poller is stopped'));
    const run = this.#chain.then(() => this.#poll());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Calls `listener` after each poll that found live blocks this poller had not found before, e.g. to
   * preload their bloom filters; a listener added after start() is not told of the first poll's blocks.
   */
  onPolled(listener: PollListener): void {
    this.#listeners.push(listener);
  }

  /** Idempotent: stops the timer and waits for a poll in flight (which stops between tenants). */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#abort.abort();
    clearTimeout(this.#timer);
    await this.#chain;
  }

  #schedule(): void {
    if (this.#state !== 'running') return;
    this.#timer = setTimeout(() => {
      this.pollOnce()
        .catch((err: unknown) => this.#logger.error({ err }, 'blocklist poll failed'))
        .finally(() => this.#schedule());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async #poll(): Promise<PollSummary> {
    const began = performance.now();
    const tenants = [...new Set([...(await listTenants(this.#store)), ...this.blocks.tenants()])];
    const fromIndex: string[] = [];
    const listed: string[] = [];
    const failed: string[] = [];
    this.#fresh = [];
    await mapBounded(tenants, this.#tenantConcurrency, async (tenant) => {
      if (this.#abort.signal.aborted) return;
      try {
        (await this.#pollTenant(tenant) === 'index' ? fromIndex : listed).push(tenant);
      } catch (err) {
        failed.push(tenant);
        this.#metrics.pollErrors.inc({ tenant });
        this.#logger.error({ tenant, err }, 'tenant blocklist poll failed');
      }
    });
    const durationSeconds = (performance.now() - began) / 1000;
    this.#metrics.pollDuration.observe(durationSeconds);
    this.#logger.debug({ tenants: tenants.length, fromIndex: fromIndex.length, listed: listed.length, failed: failed.length,
      durationMs: Math.round(durationSeconds * 1000) }, 'blocklist polled');
    if (!this.#abort.signal.aborted && this.#fresh.length > 0) this.#notify(this.#fresh);
    this.#fresh = [];
    return { fromIndex, listed, failed };
  }

  #notify(newMetas: readonly BlockMeta[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(newMetas);
      } catch (err) {
        this.#logger.error({ err, blocks: newMetas.length }, 'blocklist poll listener failed');
      }
    }
  }

  async #pollTenant(tenant: string): Promise<'index' | 'listed'> {
    if (this.#mode === 'reader') {
      const index = await this.#usableIndex(tenant);
      if (index !== undefined) {
        this.#apply(tenant, index, index.createdAt - CLOCK_SKEW_MS);
        this.#metrics.indexAge.set({ tenant }, Math.max(0, (this.#now() - index.createdAt) / 1000));
        return 'index';
      }
    }
    const listedAt = this.#now();
    const listing = await listTenantObjects(this.#store, tenant);
    const known = await this.#knownBlocks(tenant, listing.hasIndex);
    const found = await readTenantBlocks(this.#store, listing, {
      known,
      concurrency: this.#concurrency,
      onInvalid: (key, err) => this.#logger.warn({ tenant, key, err }, 'invalid block meta left out'),
    });
    if (this.#abort.signal.aborted) return 'listed';
    // Compacted blocks leave the live list here. The compactor writes the output block's meta.json before
    // it marks the inputs compacted, so a LIST that shows the markers shows the output too; and TraceDb
    // still reads recently compacted blocks, covering a paged LIST that crossed the compaction.
    this.#apply(tenant, found, listedAt);
    const empty = found.metas.length === 0 && found.compacted.length === 0;
    if (this.#mode === 'builder' && (!empty || listing.hasIndex)) await this.#writeIndex(tenant, found, listedAt);
    return 'listed';
  }

  /** The tenant's index, or undefined (logged, counted) when it is missing, stale or unreadable. */
  async #usableIndex(tenant: string): Promise<TenantIndex | undefined> {
    let reason: string;
    try {
      const index = await readTenantIndex(this.#store, tenant);
      if (index !== undefined && this.#now() - index.createdAt <= this.#staleMs) return index;
      reason = index === undefined ? 'missing' : `stale: created at ${new Date(index.createdAt).toISOString()}`;
    } catch (err) {
      reason = (err as Error).message;
    }
    this.#metrics.indexErrors.inc({ tenant });
    this.#logger.warn({ tenant, reason }, 'tenant index unusable, listing blocks');
    return undefined;
  }

  /** What this process already knows of the tenant; a builder with nothing yet starts from the index. */
  async #knownBlocks(tenant: string, hasIndex: boolean): Promise<TenantBlocks> {
    const known = { metas: this.blocks.forTenant(tenant), compacted: this.blocks.compactedForTenant(tenant) };
    if (this.#mode !== 'builder' || !hasIndex || known.metas.length + known.compacted.length > 0) return known;
    try {
      return (await readTenantIndex(this.#store, tenant)) ?? known;
    } catch (err) {
      this.#logger.warn({ tenant, err }, 'tenant index unreadable, reading every block meta');
      return known;
    }
  }

  #apply(tenant: string, found: TenantBlocks, keepAnnouncedSinceMs: number): void {
    this.blocks.replace(tenant, found.metas, { compacted: found.compacted, keepAnnouncedSinceMs });
    const before = this.#found.get(tenant);
    for (const meta of found.metas) if (before?.has(meta.blockID) !== true) this.#fresh.push(meta);
    this.#found.set(tenant, new Set(found.metas.map((m) => m.blockID)));
    this.#metrics.length.set({ tenant }, this.blocks.forTenant(tenant).length);
  }

  /** created_at is when the LIST began: the index shows the bucket as of then or later. */
  async #writeIndex(tenant: string, found: TenantBlocks, listedAt: number): Promise<void> {
    try {
      await writeTenantIndex(this.#store, tenant, { ...found, createdAt: listedAt });
      this.#metrics.indexAge.set({ tenant }, 0);
    } catch (err) {
      this.#metrics.indexErrors.inc({ tenant });
      this.#logger.error({ tenant, err }, 'tenant index write failed');
    }
  }
}
