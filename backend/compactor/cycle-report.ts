/** One compaction done in a cycle. */
export interface CompactionSummary {
  readonly tenant: string;
  /** Unix seconds. */
  readonly windowStart: number;
  readonly level: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly inputSpans: number;
  readonly outputSpans: number;
}

/** What one `runOnce` did; block lists are `<tenant>/<blockID>`. */
export interface CycleReport {
  readonly compactions: CompactionSummary[];
  /** Jobs not done because an input stopped being live (another compactor got there first). */
  skipped: number;
  /** Half-done marks finished, and inputs of published compactions marked (crash recovery). */
  readonly recovered: string[];
  /** Blocks past block_retention, marked for deletion. */
  readonly expired: string[];
  /** Compacted blocks deleted after compacted_block_retention. */
  readonly deleted: string[];
  readonly orphans: string[];
  /** Steps that failed; they are retried next cycle. */
  errors: number;
  /** The cycle was stopped before it had done everything. */
  stopped: boolean;
}

export function emptyReport(): CycleReport {
  return { compactions: [], skipped: 0, recovered: [], expired: [], deleted: [], orphans: [], errors: 0, stopped: false };
}
