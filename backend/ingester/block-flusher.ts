import type { Logger } from 'pino';
import type { TraceEntry } from '../block/block-meta.ts';
import type { Wal } from '../wal/wal.ts';
import { assembleTraces } from './assemble-traces.ts';
import { copyFromWal } from './copy-from-wal.ts';
import type { CutBlock } from './flush-queue.ts';
import type { IngesterMetrics } from './ingester-metrics.ts';
import type { IngesterOptions } from './ingester-options.ts';
import type { LiveTrace } from './live-trace.ts';
import { traceIdOf } from './trace-key.ts';

export interface BlockFlusherOptions {
  readonly wal: Wal;
  readonly ingester: Pick<IngesterOptions, 'store' | 'writeBlock' | 'bloomFalsePositive' | 'onBlockFlushed'>;
  readonly metrics: IngesterMetrics;
  readonly logger: Logger;
}

/** Builds a cut block's traces from the WAL, writes the block, then announces it. */
export function blockFlusher(options: BlockFlusherOptions): (block: CutBlock) => Promise<void> {
  const { wal, ingester, metrics, logger } = options;
  return async (block) => {
    const began = performance.now();
    const entries = await traceEntries(wal, [...block.set.traces.values()].sort(byKey));
    const meta = await ingester.writeBlock(ingester.store, {
      tenantID: block.tenant, blockID: block.blockID, entries, bloomFalsePositive: ingester.bloomFalsePositive,
    });
    // Announced before the ingester drops its copy: the trace is always in one place or the other.
    await ingester.onBlockFlushed(meta);
    metrics.blocksFlushed.inc({ tenant: block.tenant });
    metrics.bytesWritten.inc(meta.size);
    logger.info({
      tenant: block.tenant, blockID: block.blockID, traces: entries.length, spans: meta.totalSpans,
      spanBytes: block.set.bytes, bytes: meta.size, durationMs: Math.round(performance.now() - began),
    }, 'block flushed');
  };
}

/** One TraceEntry per trace, in the given (trace ID) order. */
export async function traceEntries(wal: Wal, traces: readonly LiveTrace[]): Promise<TraceEntry[]> {
  const assembled = assembleTraces(traces);
  await copyFromWal(wal, assembled.plan, assembled.buffer);
  return traces.map((t, i) => ({
    traceId: traceIdOf(t.key), trace: assembled.traces[i],
    startUnixNano: t.startUnixNano, endUnixNano: t.endUnixNano, spanCount: t.spanCount,
  }));
}

function byKey(a: LiveTrace, b: LiveTrace): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
