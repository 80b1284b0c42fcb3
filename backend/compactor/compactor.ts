import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BlockMeta } from '../block/block-meta.ts';
import type { CompactedBlockMeta } from '../block/compacted-meta.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { compactorMetrics } from './compactor-metrics.ts';
import type { CompactorSettings } from './compactor-settings.ts';
import { emptyReport, type CycleReport } from './cycle-report.ts';
import { OrphanCollector } from './orphan-collector.ts';
import { allShards, type ShardOwner } from './shard-owner.ts';
import { runTenantCycle, type BlocksChanged, type CycleContext } from './tenant-cycle.ts';

export interface CompactorOptions {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** resolveCompactorSettings(config.compactor, config.overrides). */
  readonly config: CompactorSettings;
  /** Where blocks are learnt from: a bucket listing (storeBlockSource) or the tenant index. */
  readonly listTenants: () => Promise<string[]>;
  readonly listBlocks: (tenant: string) => Promise<BlockMeta[]>;
  readonly listCompacted: (tenant: string) => Promise<CompactedBlockMeta[]>;
  /** Default allShards (a single compactor). */
  readonly owner?: ShardOwner;
  /** Unix ms; default Date.now. */
  readonly now?: () => number;
  /** storage.trace.block.bloom_filter_false_positive; default 0.01. */
  readonly bloomFalsePositive?: number;
  readonly pageSize?: number;
  /** Told of every block published or removed, as it happens (synchronously). */
  readonly onBlocksChanged?: (change: BlocksChanged) => void;
  /** Awaited every few hundred traces: lets ingest in the same process go first (yield-to-ingest.ts). */
  readonly yieldToIngest?: () => Promise<void>;
}

/**
 * The compactor role: per tenant, finishes interrupted work, applies retention, merges blocks of the same
 * window and level, deletes compacted blocks after their grace period and collects orphans. `runOnce` is
 * one cycle; `start` repeats it every compaction_cycle until `stop`, which lets the current job finish.
 */
export class Compactor {
  readonly #options: CompactorOptions;
  readonly #context: CycleContext;
  #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(options: CompactorOptions) {
    this.#options = options;
    this.#context = {
      store: options.store,
      logger: options.logger,
      metrics: compactorMetrics(options.metrics),
      settings: options.config,
      owner: options.owner ?? allShards,
      now: options.now ?? Date.now,
      bloomFalsePositive: options.bloomFalsePositive ?? 0.01,
      pageSize: options.pageSize,
      orphans: new OrphanCollector(),
      listBlocks: options.listBlocks,
      listCompacted: options.listCompacted,
      onBlocksChanged: options.onBlocksChanged ?? (() => undefined),
      yieldToIngest: options.yieldToIngest,
    };
  }

  /** One full cycle over every tenant; cycles never overlap (a second call waits for the first). */
  runOnce(signal: AbortSignal = new AbortController().signal): Promise<CycleReport> {
    const run = this.#running.then(() => this.#cycle(signal));
    this.#running = run.catch(() => undefined);
    return run;
  }

  /** Runs a cycle every compaction_cycle (the first one a cycle from now) until `stop`; no-op when running. */
  start(): void {
    if (this.#controller !== undefined) return;
    this.#controller = new AbortController();
    this.#schedule(this.#controller.signal);
  }

  /** Stops the loop; resolves once the job in progress (if any) has finished. Idempotent. */
  async stop(): Promise<void> {
    this.#controller?.abort();
    this.#controller = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // runOnce never rejects (#cycle reports its failures), so the chain ends here.
      void this.runOnce(signal).then(() => this.#schedule(signal));
    }, this.#options.config.cycleMs);
    this.#timer.unref();
  }

  async #cycle(signal: AbortSignal): Promise<CycleReport> {
    const report = emptyReport();
    const { logger } = this.#context;
    let tenants: string[];
    try {
      tenants = (await this.#options.listTenants()).sort();
    } catch (err) {
      report.errors++;
      logger.error({ err }, 'compaction cycle could not list tenants');
      return report;
    }
    for (const tenant of tenants) {
      if (signal.aborted) {
        report.stopped = true;
        break;
      }
      try {
        await runTenantCycle(this.#context, tenant, report, signal);
      } catch (err) {
        report.errors++;
        this.#context.metrics.errors.inc({ tenant });
        logger.error({ err, tenant }, 'compaction cycle failed for tenant');
      }
    }
    return report;
  }
}
