import type { TraceMatch } from '../traceql/evaluate.ts';
import type { Span } from '../traceql/span-model.ts';
import { ExemplarBudget } from './exemplar-budget.ts';
import { MetricsAccumulator } from './metrics-accumulator.ts';
import type { HeldSample, MetricsJobResult, MetricsWork } from './metrics-job.ts';
import { partialOf } from './metrics-partial.ts';
import { LiveIntervals } from './live-intervals.ts';

/** What a job looked at. */
export interface JobStats {
  inspectedTraces: number;
  inspectedSpans: number;
  inspectedBytes: number;
  blocks: number;
}

/**
 * Counts the spans a job's matches select, each once per trace part, in the interval of its start. The live
 * job (`live`) keeps the key of every span it counts; a block job holds back the samples of spans in the
 * live job's intervals (they may be live spans flushed since). Exemplars: one per trace, within the
 * request's budget for this job; the merge chooses among every job's.
 */
export class JobCounter {
  readonly stats: JobStats = { inspectedTraces: 0, inspectedSpans: 0, inspectedBytes: 0, blocks: 0 };
  readonly #work: MetricsWork;
  readonly #live: boolean;
  readonly #acc: MetricsAccumulator;
  readonly #budget: ExemplarBudget;
  readonly #exemplified = new Set<string>();
  readonly #held: HeldSample[] = [];
  readonly #keys = new Set<string>();
  readonly #intervals = new Set<number>();

  constructor(work: MetricsWork, live: boolean) {
    this.#work = work;
    this.#live = live;
    this.#acc = new MetricsAccumulator(work.request.query.metrics, work.request.grid);
    this.#budget = new ExemplarBudget(work.request.exemplars, work.request.grid);
  }

  /** Counts a matching trace (part); never stops a scan. */
  readonly observe = (match: TraceMatch): void => {
    let exemplar: Span | undefined;
    for (const span of selectedSpans(match)) {
      const sample = this.#acc.sample(span, match.trace);
      if (sample === undefined) continue;
      const key = `${match.trace.traceId}:${span.spanId}`;
      if (this.#live) {
        // A span in two live parts (two ingesters, after a replay) counts once.
        if (this.#keys.has(key)) continue;
        this.#keys.add(key);
        this.#intervals.add(sample.interval);
        this.#acc.add(sample);
      } else if (this.#work.live.has(sample.interval)) this.#held.push({ key, ...sample });
      else this.#acc.add(sample);
      exemplar ??= span;
    }
    if (exemplar === undefined || this.#exemplified.has(match.trace.traceId)) return;
    if (!this.#budget.take(Number(exemplar.startUnixNano / 1_000_000n))) return;
    this.#exemplified.add(match.trace.traceId);
    this.#acc.addExemplar(exemplar, match.trace);
  };

  result(): MetricsJobResult {
    return {
      series: partialOf(this.#acc), held: this.#held, liveKeys: [...this.#keys],
      liveIntervals: this.#live ? LiveIntervals.of(this.#intervals).text() : '', ...this.stats,
    };
  }
}

/** Every span of the trace's matching spansets, once. */
function selectedSpans(match: TraceMatch): Set<Span> {
  const spans = new Set<Span>();
  for (const ss of match.spanSets) for (const s of ss.spans) spans.add(s.span);
  return spans;
}
