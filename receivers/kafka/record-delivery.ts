import type { KafkaMessage } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import type { RequestContext, TracesConsumer } from '../../pipeline/component.ts';
import { RetryableError, TracelakeError } from '../../pipeline/errors.ts';
import { unmarshalTraces, type KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { tenantOf } from '../../pipeline/kafka/tenant-header.ts';

/** A record decoded once, so a retry hands the same spans on again without decoding anew. */
export interface PreparedRecord {
  readonly batch: TraceBatch;
  readonly ctx: RequestContext;
  /** Spans left out for invalid trace or span IDs. */
  readonly rejectedSpans: number;
  /** Why, when rejectedSpans > 0. */
  readonly rejectReason?: string;
}

/** What became of one attempt; `at` is when it settled (monotonic ms). */
export type Outcome =
  | { readonly kind: 'accepted'; readonly record: PreparedRecord; readonly at: number }
  | { readonly kind: 'permanent'; readonly record: PreparedRecord | undefined; readonly error: unknown; readonly at: number }
  | { readonly kind: 'retryable'; readonly record: PreparedRecord; readonly error: unknown; readonly at: number };

/** Decodes records and hands them on; never rejects, the outcome says what happened. */
export class RecordDelivery {
  readonly #next: TracesConsumer;
  readonly #encoding: KafkaEncoding;
  readonly #now: () => number;

  constructor(next: TracesConsumer, encoding: KafkaEncoding, now: () => number = () => performance.now()) {
    this.#next = next;
    this.#encoding = encoding;
    this.#now = now;
  }

  /** Decoding is synchronous, so records of one batch reach the pipeline in offset order. */
  deliver(message: KafkaMessage): Promise<Outcome> {
    let record: PreparedRecord;
    try {
      const { batch, rejectedSpans, rejectReason } = unmarshalTraces(message.value, this.#encoding);
      const tenant = tenantOf(message.headers);
      record = { batch, rejectedSpans, ctx: tenant === undefined ? {} : { tenant } };
      if (rejectReason !== undefined) record = { ...record, rejectReason };
    } catch (error) {
      return Promise.resolve({ kind: 'permanent', record: undefined, error, at: this.#now() });
    }
    return this.send(record);
  }

  async send(record: PreparedRecord): Promise<Outcome> {
    if (record.batch.spanCount === 0) return { kind: 'accepted', record, at: this.#now() };
    try {
      await this.#next.consumeTraces(record.batch, record.ctx);
      return { kind: 'accepted', record, at: this.#now() };
    } catch (error) {
      const at = this.#now();
      return isPermanent(error) ? { kind: 'permanent', record, error, at } : { kind: 'retryable', record, error, at };
    }
  }
}

/**
 * As the receivers' status mapping: errors of the catalogue other than RetryableError (invalid data, a
 * missing tenant) cannot succeed on retry; anything else, including errors outside the catalogue, may.
 */
function isPermanent(error: unknown): boolean {
  return error instanceof TracelakeError && !(error instanceof RetryableError);
}
