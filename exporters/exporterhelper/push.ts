import type { RequestContext } from '../../pipeline/component.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';

/**
 * An exporter reduced to one function: deliver this batch or fail. `signal` aborts when the attempt timed
 * out or the exporter shuts down; a push that cannot stop early may ignore it.
 * Failures: PermanentError when the data can never be delivered, anything else is retried.
 */
export type PushTraces = (batch: TraceBatch, ctx: RequestContext, signal: AbortSignal) => Promise<void>;
