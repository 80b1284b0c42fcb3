/** One search over blocks by calling scanBlock directly, block after block (newest first), as one core does it. */
import type { BlockMeta } from '../backend/block/block-meta.ts';
import { scanBlock, type ScanStats } from '../backend/search/scan-block.ts';
import type { ObjectStore } from '../backend/storage/object-store.ts';
import { parseQuery } from '../backend/traceql/parse-query.ts';

export interface ScanRun {
  readonly matches: number;
  readonly stats: ScanStats;
  readonly wallSeconds: number;
  /** This process's user + system CPU (every thread). */
  readonly cpuSeconds: number;
}

/** Scans `metas` in order until `limit` traces matched (Infinity: every block whole). */
export async function scanBlocks(
  store: ObjectStore, metas: readonly BlockMeta[], search: { q: string; range: { start: number; end: number }; limit: number },
): Promise<ScanRun> {
  const query = parseQuery(search.q);
  const stats: ScanStats = { inspectedTraces: 0, inspectedSpans: 0, inspectedBytes: 0 };
  let matches = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const meta of metas) {
    if (matches >= search.limit) break;
    const s = await scanBlock(store, meta, { query, range: search.range }, () => ++matches >= search.limit);
    stats.inspectedTraces += s.inspectedTraces;
    stats.inspectedSpans += s.inspectedSpans;
    stats.inspectedBytes += s.inspectedBytes;
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { matches, stats, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Blocks newest first (by end time), as a search visits them. */
export function newestFirst(metas: readonly BlockMeta[]): BlockMeta[] {
  return [...metas].sort((a, b) => Date.parse(b.endTime) - Date.parse(a.endTime) || (a.blockID < b.blockID ? -1 : 1));
}
