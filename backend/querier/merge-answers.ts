import type { Logger } from 'pino';
import { RetryableError } from '../../pipeline/errors.ts';
import { TraceCombiner } from '../block/combine-trace.ts';
import { PartialPartsError } from './partial-parts-error.ts';
import type { TraceByIdResult } from './querier.ts';

export interface MergeAnswersOptions {
  /** What answered, singular, in messages: `trace source`, `query job`. */
  readonly noun: string;
  readonly tenant: string;
  readonly logger: Logger;
}

/**
 * Merges the answers of everything asked for one trace (parts, duplicates dropped). Undefined when every
 * one answered and none has a span. A failure (or a malformed part) makes the result partial, and so does
 * a partial answer (PartialPartsError, its parts still merged); RetryableError only when every one failed
 * and no span was found.
 */
export function mergeAnswers(
  answers: readonly PromiseSettledResult<readonly Uint8Array[]>[], options: MergeAnswersOptions,
): TraceByIdResult | undefined {
  const { noun, tenant, logger } = options;
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
      // One already counted failed (partial answer) is not counted twice.
      if (answer.status === 'fulfilled') failures.push(err);
      else logger.warn({ tenant, err }, 'malformed part in a partial answer');
    }
  }
  if (failures.length > 0) logger.warn({ tenant, failed: failures.length, err: failures[0] }, `${noun} failed`);
  if (failures.length > 0 && failures.length === answers.length && combiner.spanCount === 0) {
    throw new RetryableError(`every ${noun} failed`, { cause: failures[0] });
  }
  if (failures.length === 0 && combiner.spanCount === 0) return undefined;
  const { trace, spanCount } = combiner.result();
  if (failures.length === 0) return { trace, spanCount, inspectedBytes, status: 'complete' };
  const message = `${failures.length} of ${answers.length} ${noun}s failed, a partial trace is returned`;
  return { trace, spanCount, inspectedBytes, status: 'partial', message };
}
