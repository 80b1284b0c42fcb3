import type { Logger } from 'pino';
import type { SearchSource } from '../querier/search-source.ts';
import type { FieldRef } from '../traceql/ast.ts';
import type { Span, TraceModel } from '../traceql/span-model.ts';
import { traceModel } from '../traceql/trace-model.ts';
import { gatherTraces } from './gather-traces.ts';
import { matchingSpans, TagNameCollector, TagValueCollector } from './tag-collect.ts';
import type { TagNamesAnswer, TagScan, TagService, TagValuesAnswer } from './tag-service.ts';

export interface TagSearchOptions {
  /** The same sources as the search's, asked the same way (unflushed traces before blocks). */
  readonly sources: readonly SearchSource[];
  readonly logger: Logger;
}

/**
 * Tag names and values with the reference engine: every trace of the sources in the range, its parts
 * merged (so `q` sees whole traces), then the spans `q` matches (all without one) are read.
 */
export class TagSearch implements TagService {
  readonly #sources: readonly SearchSource[];
  readonly #logger: Logger;

  constructor(options: TagSearchOptions) {
    this.#sources = options.sources;
    this.#logger = options.logger;
  }

  async tagNames(tenant: string, scan: TagScan, signal?: AbortSignal): Promise<TagNamesAnswer> {
    const names = new TagNameCollector();
    const inspectedBytes = await this.#eachSpan(tenant, scan, (span) => names.add(span), signal);
    return { names: names.result(), inspectedBytes };
  }

  async tagValues(tenant: string, field: FieldRef, scan: TagScan, signal?: AbortSignal): Promise<TagValuesAnswer> {
    const values = new TagValueCollector(field);
    const inspectedBytes = await this.#eachSpan(tenant, scan, (span, trace) => values.add(span, trace), signal);
    return { values: values.result(), inspectedBytes };
  }

  /** Calls `visit` for each span the scan covers; returns the bytes read. */
  async #eachSpan(tenant: string, scan: TagScan, visit: (span: Span, trace: TraceModel) => void, signal?: AbortSignal): Promise<number> {
    const { traces, candidates, inspectedBytes } = await gatherTraces(this.#sources, tenant, scan.range, signal);
    for (const merged of traces) {
      signal?.throwIfAborted();
      const trace = traceModel(merged.trace);
      for (const span of matchingSpans(trace, scan.filter)) visit(span, trace);
    }
    this.#logger.debug({ tenant, candidates, traces: traces.length }, 'tag scan done');
    return inspectedBytes;
  }
}
