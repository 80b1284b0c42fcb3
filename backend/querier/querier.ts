import type { Logger } from 'pino';
import { RetryableError } from '../../pipeline/errors.ts';
import { TraceCombiner } from '../block/combine-trace.ts';
import { PartialPartsError } from './partial-parts-error.ts';
import type { TimeRange, TraceSource } from './trace-source.ts';

export interface QuerierOptions {
  /** Where parts of a trace may be: ingester live data, blocks, … asked in parallel. */
  readonly sources: readonly TraceSource[];
  readonly logger: Logger;
}

export interface TraceByIdResult {
  /** Encoded Trace (TracesData bytes), spans merged and deduplicated. */
  readonly trace: Uint8Array;
  readonly spanCount: number;
  /** Bytes of every part read, before merging. */
  readonly inspectedBytes: number;
  /** `partial` when some source failed: the trace may miss spans. */
  readonly status: 'complete' | 'partial';
  readonly message?: string;
}

/** Trace by ID over every source. Stateless: it holds only the sources it was wired with. */
export class Querier {
  readonly #sources: readonly TraceSource[];
  readonly #logger: Logger;

  constructor(options: QuerierOptions) {
    this.#sources = options.sources;
    this.#logger = options.logger;
  }

  /**
   * The whole trace, or undefined when every source answered and none has a span of it. A failing source
   * (or a malformed part) makes the result partial, and so does a source's own partial answer (its parts
   * still merged); RetryableError only when every source failed and no span was found.
   */
  async traceById(tenant: string, traceId: Uint8Array, range?: TimeRange): Promise<TraceByIdResult | undefined> {
    const answers = await Promise.allSettled(this.#sources.map((s) => s.findTraceById(tenant, traceId, range)));
    const combiner = new TraceCombiner();
    const failures: unknown[] = [];
    let inspectedBytes = 0;
    for (const answer of answers) {
      if (answer.status === 'rejected') failures.push(answer.reason);
      const parts = answer.status === 'fulfilled' ? answer.value
        : answer.reason instanceof PartialPartsError ? answer.reason.parts : [];
      try {
        for (const part of parts) {
          inspectedBytes += part.byteLength;
          combiner.add(part);
        }
      } catch (err) {
        // A source already counted failed (partial answer) is not counted twice.
        if (answer.status === 'fulfilled') failures.push(err);
        else this.#logger.warn({ tenant, err }, 'malformed part in a partial answer');
      }
    }
    if (failures.length > 0) this.#logger.warn({ tenant, failed: failures.length, err: failures[0] }, 'trace source failed');
    if (failures.length > 0 && failures.length === answers.length && combiner.spanCount === 0) {
      throw new RetryableError('every trace source failed', { cause: failures[0] });
    }
    if (failures.length === 0 && combiner.spanCount === 0) return undefined;
    const { trace, spanCount } = combiner.result();
    if (failures.length === 0) return { trace, spanCount, inspectedBytes, status: 'complete' };
    const message = `${failures.length} of ${answers.length} trace sources failed, a partial trace is returned`;
    return { trace, spanCount, inspectedBytes, status: 'partial', message };
  }
}
