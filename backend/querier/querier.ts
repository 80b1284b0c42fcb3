import type { Logger } from 'pino';
import { RetryableError } from '../../pipeline/errors.ts';
import type { BlockIdRange } from './block-id-range.ts';
import { mergeAnswers } from './merge-answers.ts';
import type { TimeRange, TraceSource } from './trace-source.ts';

/** This process's blocks: all of them, or only those whose block ID is in `shard`. */
export type BlockSourceFor = (shard?: BlockIdRange) => TraceSource;

export interface QuerierOptions {
  /** Live (not yet flushed) traces: this process's ingester, other ingesters over HTTP. */
  readonly live: readonly TraceSource[];
  /** Absent when this process reads no blocks. */
  readonly blocks?: BlockSourceFor;
  readonly logger: Logger;
}

/** Tempo's querier modes: the ingesters' live traces, the blocks, or both. */
export type QueryMode = 'all' | 'ingesters' | 'blocks';

export interface TraceByIdOptions {
  /** Default 'all'. */
  readonly mode?: QueryMode;
  /** Only the blocks whose ID is in this range (a query-frontend's shard); default all. */
  readonly blockIds?: BlockIdRange;
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
  readonly #live: readonly TraceSource[];
  readonly #blocks: BlockSourceFor | undefined;
  readonly #logger: Logger;

  constructor(options: QuerierOptions) {
    this.#live = options.live;
    this.#blocks = options.blocks;
    this.#logger = options.logger;
  }

  /**
   * The whole trace over the sources `options.mode` selects, merged by mergeAnswers: undefined when none
   * has a span of it, partial when some failed, RetryableError when all failed with nothing found, or when
   * mode `blocks` asks a process that reads none (a query-frontend then tries another querier).
   */
  async traceById(
    tenant: string, traceId: Uint8Array, range?: TimeRange, options: TraceByIdOptions = {},
  ): Promise<TraceByIdResult | undefined> {
    const sources = this.#sourcesFor(options);
    const answers = await Promise.allSettled(sources.map((s) => s.findTraceById(tenant, traceId, range)));
    return mergeAnswers(answers, { noun: 'trace source', tenant, logger: this.#logger });
  }

  /** Live sources for `ingesters` (none is a valid answer: nothing live), the blocks for `blocks`, both for `all`. */
  #sourcesFor({ mode = 'all', blockIds }: TraceByIdOptions): TraceSource[] {
    const sources: TraceSource[] = mode === 'blocks' ? [] : [...this.#live];
    if (mode === 'ingesters') return sources;
    if (this.#blocks !== undefined) sources.push(this.#blocks(blockIds));
    else if (mode === 'blocks') throw new RetryableError('this process reads no blocks (it runs no querier over the storage)');
    return sources;
  }
}
