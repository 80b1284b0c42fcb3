import type { RequestContext, TracesConsumer } from './component.ts';
import type { TraceBatch } from './trace-batch.ts';

/**
 * One consumer handing the same batch to several: resolves once all have resolved; when any rejects, waits
 * for the rest and then rejects with the first rejection in list order. Consumers share the batch, so none
 * may modify it (TraceBatch is read-only by contract). A single consumer is returned as it is.
 */
export function fanOut(consumers: readonly TracesConsumer[]): TracesConsumer {
  if (consumers.length === 0) throw new RangeError('fanOut needs at least one consumer');
  if (consumers.length === 1) return consumers[0]!;
  const targets = [...consumers];
  return Object.freeze({
    async consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
      // The executor turns a synchronous throw into a rejection, so every consumer is still called.
      const results = await Promise.allSettled(
        targets.map((c) => new Promise<void>((resolve) => resolve(c.consumeTraces(batch, ctx)))),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    },
  });
}
