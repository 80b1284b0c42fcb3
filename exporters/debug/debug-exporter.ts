import type { Logger } from 'pino';
import type { RequestContext, TracesComponent } from '../../pipeline/component.ts';
import { bytesToHex } from '../../pipeline/otlp/hex.ts';
import { encodeTraceBatch } from '../../pipeline/otlp/encode-trace-batch.ts';
import { protobufToJson } from '../../pipeline/otlp/json.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import type { LogSampler } from './log-sampler.ts';
import { spanName } from './span-name.ts';

export type Verbosity = 'basic' | 'normal' | 'detailed';

/** Writes what passes through to the component's logger: counts, one line per span, or everything. */
export class DebugExporter implements TracesComponent {
  readonly #logger: Logger;
  readonly #verbosity: Verbosity;
  readonly #sampler: LogSampler;

  constructor(logger: Logger, verbosity: Verbosity, sampler: LogSampler) {
    this.#logger = logger;
    this.#verbosity = verbosity;
    this.#sampler = sampler;
  }

  async start(): Promise<void> {}

  async shutdown(): Promise<void> {}

  async consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    if (!this.#sampler.sample()) return;
    this.#logger.info(
      { tenant: ctx.tenant, resourceSpans: batch.resourceSpans.length, spans: batch.spanCount }, 'traces');
    if (this.#verbosity === 'normal') this.#logSpans(batch);
    if (this.#verbosity === 'detailed') {
      const traces = protobufToJson(encodeTraceBatch(batch.resourceSpans), 'TracesData', 'otlp');
      this.#logger.info({ traces }, 'traces content');
    }
  }

  #logSpans(batch: TraceBatch): void {
    for (const rs of batch.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          this.#logger.info({
            traceId: bytesToHex(span.traceId),
            spanId: bytesToHex(span.spanId),
            name: spanName(span.bytes),
          }, 'span');
        }
      }
    }
  }
}
