import type { Logger } from 'pino';
import type { BlockMeta } from '../block/block-meta.ts';
import type { CompactedBlockMeta } from '../block/compacted-meta.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { applyRetention } from './apply-retention.ts';
import { windowStartOf } from './block-window.ts';
import { runCompactionJob } from './compact-job.ts';
import type { CompactorMetrics } from './compactor-metrics.ts';
import { blockRetentionFor, type CompactorSettings } from './compactor-settings.ts';
import type { CycleReport } from './cycle-report.ts';
import { deleteExpiredCompacted } from './delete-compacted.ts';
import type { OrphanCollector } from './orphan-collector.ts';
import { recoverInterrupted } from './recover-jobs.ts';
import { selectJobs } from './select-jobs.ts';
import { TENANT_CHORES_WINDOW, type ShardOwner } from './shard-owner.ts';

/** A change to a tenant's blocks, for whoever keeps a block list in memory (querier, tenant index). */
export interface BlocksChanged {
  readonly tenant: string;
  /** Blocks published. */
  readonly added: readonly BlockMeta[];
  /** Blocks that stopped being live (marked compacted) or were deleted. */
  readonly removed: readonly string[];
}

/** What a tenant's cycle needs; built once by the Compactor. */
export interface CycleContext {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly metrics: CompactorMetrics;
  readonly settings: CompactorSettings;
  readonly owner: ShardOwner;
  readonly now: () => number;
  readonly bloomFalsePositive: number;
  readonly pageSize?: number;
  readonly orphans: OrphanCollector;
  readonly listBlocks: (tenant: string) => Promise<BlockMeta[]>;
  readonly listCompacted: (tenant: string) => Promise<CompactedBlockMeta[]>;
  readonly onBlocksChanged: (change: BlocksChanged) => void;
  readonly yieldToIngest?: () => Promise<void>;
}

/** Recovery, retention, compaction, clean-up and orphans for one tenant, in that order. */
export async function runTenantCycle(ctx: CycleContext, tenant: string, report: CycleReport, signal: AbortSignal): Promise<void> {
  const [listed, compacted] = await Promise.all([ctx.listBlocks(tenant), ctx.listCompacted(tenant)]);
  const owns = (meta: BlockMeta) => ctx.owner.owns(tenant, windowStartOf(meta, ctx.settings.windowMs));
  const recovered = await recoverInterrupted({ store: ctx.store, live: listed, compacted, owns, nowMs: ctx.now() });
  noteRecovery(ctx, tenant, recovered.finishedMarks, recovered.rolledForward, report);
  const retentionMs = blockRetentionFor(ctx.settings, tenant);
  const retained = await applyRetention({ store: ctx.store, live: recovered.live, retentionMs, owns, nowMs: ctx.now() });
  noteRemoved(ctx, tenant, retained.expired.map((m) => m.blockID), report.expired);
  if (retained.expired.length > 0) {
    ctx.metrics.retentionDeletedBlocks.inc({ tenant }, retained.expired.length);
    ctx.logger.info({ tenant, blockIDs: retained.expired.map((m) => m.blockID), retentionMs }, 'blocks past retention marked for deletion');
  }
  const published = await compactTenant(ctx, tenant, retained.live, report, signal);
  if (signal.aborted) {
    report.stopped = true;
    return;
  }
  await cleanUp(ctx, { tenant, compacted, known: [...listed, ...compacted, ...published], report });
}

async function compactTenant(ctx: CycleContext, tenant: string, live: BlockMeta[], report: CycleReport, signal: AbortSignal): Promise<BlockMeta[]> {
  const published: BlockMeta[] = [];
  const jobs = selectJobs({ tenant, metas: live, settings: ctx.settings, owner: ctx.owner, nowMs: ctx.now() });
  for (const job of jobs) {
    if (signal.aborted) {
      report.stopped = true;
      break;
    }
    const began = performance.now();
    const inputs = job.inputs.map((m) => m.blockID);
    try {
      const result = await runCompactionJob({ store: ctx.store, job, settings: ctx.settings, bloomFalsePositive: ctx.bloomFalsePositive, pageSize: ctx.pageSize, now: ctx.now, yieldToIngest: ctx.yieldToIngest });
      if (result.status === 'skipped') {
        report.skipped++;
        ctx.logger.info({ tenant, inputs, reason: result.reason }, 'compaction skipped');
        continue;
      }
      const { outputs, inputSpans, outputSpans } = result;
      published.push(...outputs);
      const bytes = outputs.reduce((n, m) => n + m.size, 0);
      report.compactions.push({ tenant, windowStart: job.windowStart, level: job.level, inputs, outputs: outputs.map((m) => m.blockID), inputSpans, outputSpans });
      ctx.metrics.blocksCompacted.inc({ tenant, level: job.level }, inputs.length);
      ctx.metrics.blocksWritten.inc({ tenant, level: job.level }, outputs.length);
      ctx.metrics.spansDeduplicated.inc({ tenant }, inputSpans - outputSpans);
      ctx.metrics.bytesWritten.inc({ tenant }, bytes);
      ctx.onBlocksChanged({ tenant, added: outputs, removed: inputs });
      ctx.logger.info({
        tenant, windowStart: job.windowStart, level: job.level, inputs, outputs: outputs.map((m) => m.blockID),
        inputSpans, outputSpans, duplicateSpans: inputSpans - outputSpans, bytes, durationMs: Math.round(performance.now() - began),
      }, 'blocks compacted');
    } catch (err) {
      report.errors++;
      ctx.metrics.errors.inc({ tenant });
      ctx.logger.error({ err, tenant, inputs }, 'compaction failed');
    }
  }
  return published;
}

interface CleanUpOptions {
  readonly tenant: string;
  readonly compacted: readonly CompactedBlockMeta[];
  /** Every block the lists showed, and those published since. */
  readonly known: readonly BlockMeta[];
  readonly report: CycleReport;
}

async function cleanUp(ctx: CycleContext, options: CleanUpOptions): Promise<void> {
  const { tenant, report } = options;
  const deleted = await deleteExpiredCompacted({
    store: ctx.store, compacted: options.compacted, compactedRetentionMs: ctx.settings.compactedBlockRetentionMs,
    owns: (meta) => ctx.owner.owns(tenant, windowStartOf(meta, ctx.settings.windowMs)), nowMs: ctx.now(),
  });
  noteRemoved(ctx, tenant, deleted, report.deleted);
  if (deleted.length > 0) {
    ctx.metrics.compactedBlocksDeleted.inc({ tenant }, deleted.length);
    ctx.logger.info({ tenant, blockIDs: deleted }, 'compacted blocks deleted');
  }
  if (!ctx.owner.owns(tenant, TENANT_CHORES_WINDOW)) return;
  const known = new Set(options.known.map((m) => m.blockID));
  const orphans = await ctx.orphans.collect({ store: ctx.store, tenant, known, graceMs: ctx.settings.orphanGraceMs, nowMs: ctx.now() });
  if (orphans.length === 0) return;
  report.orphans.push(...orphans.map((id) => `${tenant}/${id}`));
  ctx.metrics.orphansDeleted.inc({ tenant }, orphans.length);
  ctx.logger.info({ tenant, blockIDs: orphans }, 'orphaned block objects deleted');
}

function noteRecovery(ctx: CycleContext, tenant: string, finishedMarks: string[], rolledForward: string[], report: CycleReport): void {
  const ids = [...finishedMarks, ...rolledForward];
  if (ids.length === 0) return;
  noteRemoved(ctx, tenant, ids, report.recovered);
  ctx.logger.info({ tenant, finishedMarks, rolledForward }, 'interrupted compaction finished');
}

function noteRemoved(ctx: CycleContext, tenant: string, ids: readonly string[], into: string[]): void {
  if (ids.length === 0) return;
  into.push(...ids.map((id) => `${tenant}/${id}`));
  ctx.onBlocksChanged({ tenant, added: [], removed: ids });
}
