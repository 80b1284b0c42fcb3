import { combineTraceResults } from './combine-trace-results.ts';
import { newestFirst } from './newest-traces.ts';
import type { SearchJobResult } from './search-job-runner.ts';
import type { SearchResponseJson } from './search-service.ts';
import type { TraceResultJson } from './trace-result.ts';

/**
 * Merges the results of a search's jobs as they finish (parts of one trace combined, combine-trace-results.ts)
 * and tells when the answer is settled. By default (as Tempo) once it holds `limit` traces. For the most
 * recent traces (`with (most_recent=true)`), once `limit` traces start after the latest span end any
 * unfinished job can hold: no job still running can add a newer one (Tempo's most-recent combiner).
 */
export class SearchCombiner {
  readonly #limit: number;
  readonly #mostRecent: boolean;
  readonly #traces = new Map<string, TraceResultJson>();
  #inspectedTraces = 0;
  #inspectedBytes = 0;
  #completedJobs = 0;

  constructor(limit: number, mostRecent: boolean) {
    this.#limit = limit;
    this.#mostRecent = mostRecent;
  }

  add(result: SearchJobResult): void {
    this.#completedJobs++;
    this.#inspectedTraces += result.inspectedTraces;
    this.#inspectedBytes += result.inspectedBytes;
    for (const t of result.traces) {
      const existing = this.#traces.get(t.traceID);
      this.#traces.set(t.traceID, existing === undefined ? t : combineTraceResults(existing, t));
    }
  }

  /** Whether `limit` traces start after `pendingEndSeconds` (unix seconds; Infinity while live traces are pending). */
  completeFor(pendingEndSeconds: number): boolean {
    if (this.#traces.size < this.#limit) return false;
    if (!this.#mostRecent) return true;
    if (pendingEndSeconds === Infinity) return false;
    if (pendingEndSeconds === -Infinity) return true;
    const after = BigInt(Math.floor(pendingEndSeconds)) * 1_000_000_000n;
    let newer = 0;
    for (const t of this.#traces.values()) if (BigInt(t.startTimeUnixNano) > after && ++newer >= this.#limit) return true;
    return false;
  }

  /** The newest `limit` traces, and Tempo's metrics (zero values left out, bytes as a string). */
  response(totalJobs: number): SearchResponseJson {
    const traces = [...this.#traces.values()].sort(newestFirst).slice(0, this.#limit);
    return {
      ...(traces.length > 0 ? { traces } : {}),
      metrics: {
        ...(this.#inspectedTraces > 0 ? { inspectedTraces: this.#inspectedTraces } : {}),
        ...(this.#inspectedBytes > 0 ? { inspectedBytes: String(this.#inspectedBytes) } : {}),
        ...(this.#completedJobs > 0 ? { completedJobs: this.#completedJobs } : {}),
        ...(totalJobs > 0 ? { totalJobs } : {}),
      },
    };
  }
}
