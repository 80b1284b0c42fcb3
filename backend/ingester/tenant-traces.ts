import type { LiveTrace } from './live-trace.ts';
import { addTrace, newTraceSet, type TraceSet } from './trace-set.ts';

export interface CutRules {
  /** A live trace with no new span for this long is complete: it moves to the head. */
  readonly traceIdlePeriodMs: number;
  /** Oldest a live trace or a head may get. */
  readonly maxBlockDurationMs: number;
  /** A head with this many span bytes is cut. */
  readonly maxBlockBytes: number;
}

export interface SweepResult {
  /** Heads due for a block, oldest first. */
  readonly cut: TraceSet[];
  /** Live traces merged into a head that already held part of them. */
  readonly merged: number;
}

/** One tenant's unflushed traces: live ones still receiving spans, and the head of complete ones. */
export class TenantTraces {
  readonly tenant: string;
  readonly live = new Map<string, LiveTrace>();
  head: TraceSet;

  constructor(tenant: string, nowMs: number) {
    this.tenant = tenant;
    this.head = newTraceSet(nowMs);
  }

  /** Moves idle or old live traces to the head and cuts the head by size and age; `force` moves and cuts all. */
  sweep(nowMs: number, rules: CutRules, force = false): SweepResult {
    const cut: TraceSet[] = [];
    let merged = 0;
    for (const [key, trace] of this.live) {
      const due = force
        || nowMs - trace.lastSeenMs >= rules.traceIdlePeriodMs
        || nowMs - trace.firstSeenMs >= rules.maxBlockDurationMs;
      if (!due) continue;
      this.live.delete(key);
      if (!addTrace(this.head, trace, nowMs)) merged++;
      if (this.head.bytes >= rules.maxBlockBytes) cut.push(this.#takeHead(nowMs));
    }
    const old = nowMs - this.head.createdAtMs >= rules.maxBlockDurationMs;
    if (this.head.traces.size > 0 && (force || old)) cut.push(this.#takeHead(nowMs));
    return { cut, merged };
  }

  get isEmpty(): boolean {
    return this.live.size === 0 && this.head.traces.size === 0;
  }

  #takeHead(nowMs: number): TraceSet {
    const head = this.head;
    this.head = newTraceSet(nowMs);
    return head;
  }
}
