import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConfigError } from '../../pipeline/errors.ts';
import type { BlockMeta } from '../block/block-meta.ts';
import type { WriteBlockOptions } from '../block/write-block.ts';
import type { ObjectStore } from '../storage/object-store.ts';

export type WriteBlock = (store: ObjectStore, options: WriteBlockOptions) => Promise<BlockMeta>;

export interface IngesterOptions {
  readonly walDir: string;
  readonly store: ObjectStore;
  /** backend/block's writeBlock; injectable for tests. */
  readonly writeBlock: WriteBlock;
  readonly bloomFalsePositive: number;
  /** A trace with no new span for this long is complete and moves to the head block. */
  readonly traceIdlePeriodMs: number;
  /** Oldest a live trace or the head block may get before it is cut. */
  readonly maxBlockDurationMs: number;
  /** The head block is cut once its spans reach this many bytes. */
  readonly maxBlockBytes: number;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** A block is written: make it queryable. The ingester drops its copy only after this resolves. */
  readonly onBlockFlushed: (meta: BlockMeta) => void | Promise<void>;
  /** WAL segment size; default 64 MiB. */
  readonly walSegmentBytes?: number;
  /** Span bytes held unflushed (live, head, flushing) before pushes are refused; default max(1 GiB, 4 blocks). */
  readonly maxUnflushedBytes?: number;
  /** Traces held unflushed before pushes are refused (each costs a few hundred bytes of memory); default 500,000. */
  readonly maxTraces?: number;
  /** Milliseconds clock; tests drive it. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_TRACES = 500_000;

export function defaultMaxUnflushedBytes(maxBlockBytes: number): number {
  return Math.max(1024 ** 3, 4 * maxBlockBytes);
}

/** Throws ConfigError listing every invalid limit. */
export function checkIngesterOptions(options: IngesterOptions): void {
  const positive: [string, number | undefined][] = [
    ['traceIdlePeriodMs', options.traceIdlePeriodMs], ['maxBlockDurationMs', options.maxBlockDurationMs],
    ['maxBlockBytes', options.maxBlockBytes], ['walSegmentBytes', options.walSegmentBytes],
    ['maxUnflushedBytes', options.maxUnflushedBytes], ['maxTraces', options.maxTraces],
  ];
  const problems = positive
    .filter(([, v]) => v !== undefined && !(Number.isFinite(v) && v > 0))
    .map(([name, v]) => `${name} must be a positive number, got ${v}`);
  if (!(options.bloomFalsePositive > 0 && options.bloomFalsePositive < 1)) {
    problems.push(`bloomFalsePositive must be in (0, 1), got ${options.bloomFalsePositive}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid ingester options: ${problems.join('; ')}`);
}
