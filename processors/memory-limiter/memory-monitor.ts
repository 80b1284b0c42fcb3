import type { Logger } from 'pino';
import type { MemoryLimits } from './memory-limits.ts';

const MIB = 1024 * 1024;

export interface MemoryMonitorOptions {
  readonly limits: MemoryLimits;
  /** Bytes in use now; the processor passes process.memoryUsage.rss. */
  readonly readMemory: () => number;
  /** Milliseconds, monotonic; the processor passes performance.now. */
  readonly now: () => number;
  /** Forces a garbage collection; undefined when node runs without --expose-gc. */
  readonly gc: (() => void) | undefined;
  readonly minGcIntervalSoftMs: number;
  readonly minGcIntervalHardMs: number;
  readonly logger: Logger;
}

/**
 * The Collector's memory check: at or above the hard limit force a GC; at or above the soft limit refuse
 * data (after one GC attempt, at most every min_gc_interval_when_soft_limited). Logs only when the state
 * changes, so a process sitting above its limit does not flood the log.
 */
export class MemoryMonitor {
  readonly #o: MemoryMonitorOptions;
  #refusing = false;
  #lastGc = -Infinity;
  #gcUnavailableLogged = false;

  constructor(options: MemoryMonitorOptions) {
    this.#o = options;
  }

  /** Whether data is refused, as of the last check. */
  get refusing(): boolean {
    return this.#refusing;
  }

  check(): void {
    const { limits, logger } = this.#o;
    let used = this.#o.readMemory();
    logger.debug({ cur_mem_mib: toMib(used) }, 'memory usage');
    if (used >= limits.hardBytes) {
      logger.warn({ cur_mem_mib: toMib(used), limit_mib: toMib(limits.hardBytes) }, 'memory usage above hard limit');
      used = this.#collect(this.#o.minGcIntervalHardMs) ?? used;
    }
    const wasRefusing = this.#refusing;
    let refuse = used >= limits.softBytes;
    if (refuse && !wasRefusing) {
      used = this.#collect(this.#o.minGcIntervalSoftMs) ?? used;
      refuse = used >= limits.softBytes;
      if (refuse) logger.warn({ cur_mem_mib: toMib(used), soft_limit_mib: toMib(limits.softBytes) }, 'memory usage above soft limit, refusing data');
    } else if (!refuse && wasRefusing) {
      logger.info({ cur_mem_mib: toMib(used) }, 'memory usage back within limits, accepting data');
    }
    this.#refusing = refuse;
  }

  /** Forces a GC unless one ran within `minIntervalMs`; the memory in use afterwards, or undefined if none ran. */
  #collect(minIntervalMs: number): number | undefined {
    const { gc, logger, now } = this.#o;
    if (gc === undefined) {
      if (!this.#gcUnavailableLogged) logger.warn('cannot force garbage collection: start node with --expose-gc to allow it');
      this.#gcUnavailableLogged = true;
      return undefined;
    }
    if (now() - this.#lastGc < minIntervalMs) return undefined;
    gc();
    this.#lastGc = now();
    const used = this.#o.readMemory();
    logger.info({ cur_mem_mib: toMib(used) }, 'memory usage after garbage collection');
    return used;
  }
}

function toMib(bytes: number): number {
  return Math.round(bytes / MIB);
}
