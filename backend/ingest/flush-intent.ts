/**
 * The offset range a partition flush covers, committed as the offset commit's metadata (at the range's
 * first offset) before any of its blocks is written. Whoever consumes the partition next (this ingester
 * after a crash, or another after a rebalance) finds it and cuts exactly the same range again, so the
 * blocks it writes have the same IDs (block IDs are derived from tenant, partition and range) and replace
 * the ones a crash may have left, instead of duplicating their spans.
 */
export interface FlushIntent {
  readonly start: number;
  readonly end: number;
}

const PREFIX = 'tracelake-flush:';

export function encodeFlushIntent(intent: FlushIntent): string {
  return `${PREFIX}${intent.start}-${intent.end}`;
}

/** The intent in a committed offset's metadata, when it is one and starts at `committed`. */
export function parseFlushIntent(metadata: string | null | undefined, committed: number): FlushIntent | undefined {
  const m = metadata?.startsWith(PREFIX) ? /^(\d+)-(\d+)$/.exec(metadata.slice(PREFIX.length)) : null;
  if (m === null) return undefined;
  const intent = { start: Number(m[1]), end: Number(m[2]) };
  return intent.start === committed && intent.end >= intent.start ? intent : undefined;
}
