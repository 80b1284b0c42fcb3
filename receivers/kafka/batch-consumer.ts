import type { Batch, KafkaMessage, Offsets } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { Backoff } from './backoff.ts';
import type { Outcome, PreparedRecord, RecordDelivery } from './record-delivery.ts';
import type { KafkaReceiverMetrics, SkipReason } from './receiver-metrics.ts';
import type { BackoffSettings } from './settings.ts';
import { abortableDelay } from '../../pipeline/abortable-delay.ts';

/** The part of kafkajs's eachBatch payload the receiver uses; tests pass a fake. */
export interface BatchPayload {
  readonly batch: Pick<Batch, 'topic' | 'partition' | 'highWatermark' | 'messages'>;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  commitOffsetsIfNecessary(offsets?: Offsets): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface BatchConsumerOptions {
  readonly delivery: RecordDelivery;
  /** message_marking.after. */
  readonly markAfter: boolean;
  /** message_marking.on_error. */
  readonly skipOnRetryableError: boolean;
  readonly backoff: BackoffSettings;
  /** Aborted when the receiver shuts down: retries stop, in-flight records finish. */
  readonly signal: AbortSignal;
  readonly metrics: KafkaReceiverMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** How often a long batch tells the group coordinator this member is alive (kafkajs throttles to heartbeat_interval). */
const HEARTBEAT_EVERY_MS = 1000;

/** Consumes the batches kafkajs fetches, one partition's batch per call. */
export class BatchConsumer {
  readonly #o: Required<BatchConsumerOptions>;

  constructor(options: BatchConsumerOptions) {
    this.#o = { now: () => performance.now(), random: Math.random, ...options };
  }

  /** Rejects only with a heartbeat failure (the group is rebalancing), after committing what succeeded. */
  consume(payload: BatchPayload): Promise<void> {
    return new BatchRun(this.#o, payload).run();
  }
}

/**
 * One fetched batch of one partition. Every record is handed on at once, in offset order (decoding is
 * synchronous), so a batching pipeline sees the whole batch together; offsets are marked strictly in order,
 * each only once its record and every record before it settled. A retryable refusal stops marking at that
 * record and retries it until accepted; a record that can never be consumed is logged, counted and marked.
 */
class BatchRun {
  readonly #o: Required<BatchConsumerOptions>;
  readonly #p: BatchPayload;
  readonly #log: Logger;
  readonly #backoff: Backoff;
  #marked: string | undefined;
  #committed: string | undefined;
  /** A heartbeat failure: the batch stops and rethrows it so kafkajs rejoins the group. */
  #failure: unknown;
  #lastHeartbeat: number;
  #retrying = false;
  #unfinishedLogged = false;

  constructor(options: Required<BatchConsumerOptions>, payload: BatchPayload) {
    this.#o = options;
    this.#p = payload;
    this.#log = options.logger.child({ topic: payload.batch.topic, partition: payload.batch.partition });
    this.#backoff = new Backoff(options.backoff, options.random);
    this.#lastHeartbeat = options.now();
  }

  async run(): Promise<void> {
    const { messages } = this.#p.batch;
    if (messages.length === 0) return;
    if (!this.#o.markAfter) {
      this.#mark(messages[messages.length - 1]!.offset);
      await this.#commit();
    }
    const outcomes = messages.map((m) => this.#o.delivery.deliver(m));
    let i = 0;
    for (; i < messages.length; i++) {
      if (!(await this.#settle(messages[i]!, await outcomes[i]!))) break;
      if (this.#o.markAfter) this.#mark(messages[i]!.offset);
      await this.#heartbeat();
    }
    for (let j = i + 1; j < messages.length; j++) this.#abandon(messages[j]!, await outcomes[j]!);
    await this.#commit();
    this.#reportLag();
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Retries until the record is accepted or given up: true when it may be marked, false when stopped first. */
  async #settle(message: KafkaMessage, first: Outcome): Promise<boolean> {
    let outcome = first;
    let since: number | undefined;
    while (outcome.kind === 'retryable') {
      since ??= outcome.at;
      if (this.#o.skipOnRetryableError && this.#backoff.givesUp(since, this.#o.now())) {
        this.#skip(message, outcome, 'refused');
        return true;
      }
      if (!(await this.#waitToRetry(message, outcome))) {
        this.#unfinished(message, outcome);
        return false;
      }
      this.#o.metrics.retries.inc();
      outcome = await this.#o.delivery.send(outcome.record);
    }
    this.#backoff.progressed(outcome.at);
    if (this.#retrying) {
      this.#retrying = false;
      this.#log.info({ offset: message.offset }, 'pipeline accepted the record again; partition resumed');
    }
    if (outcome.kind === 'permanent') this.#skip(message, outcome, 'permanent');
    else this.#accepted(message, outcome.record);
    return true;
  }

  /** Waits out the backoff while heartbeating; false when the receiver stopped or the partition may be revoked. */
  async #waitToRetry(message: KafkaMessage, outcome: Outcome & { kind: 'retryable' }): Promise<boolean> {
    if (this.#stopped()) return false;
    if (!this.#retrying) {
      this.#retrying = true;
      this.#log.warn({ offset: message.offset, err: outcome.error },
        'pipeline refused a record; retrying it before marking anything after it');
    }
    const delay = this.#backoff.delay(outcome.at);
    if (delay === 0) return true;
    await this.#commit(); // what succeeded so far is not held back by the wait
    const until = this.#o.now() + delay;
    for (;;) {
      await this.#heartbeat();
      if (this.#stopped()) return false;
      const left = until - this.#o.now();
      if (left <= 0) return true;
      await abortableDelay(Math.min(left, HEARTBEAT_EVERY_MS), this.#o.signal);
    }
  }

  #stopped(): boolean {
    return this.#failure !== undefined || this.#o.signal.aborted || !this.#p.isRunning() || this.#p.isStale();
  }

  async #heartbeat(): Promise<void> {
    const now = this.#o.now();
    if (this.#failure !== undefined || now - this.#lastHeartbeat < HEARTBEAT_EVERY_MS) return;
    this.#lastHeartbeat = now;
    try {
      await this.#p.heartbeat();
    } catch (err) {
      this.#failure = err;
      this.#log.info({ err }, 'heartbeat failed (the group is rebalancing?); finishing this batch early');
    }
  }

  #mark(offset: string): void {
    this.#p.resolveOffset(offset);
    this.#marked = offset;
  }

  async #commit(): Promise<void> {
    const marked = this.#marked;
    if (marked === undefined || marked === this.#committed) return;
    const { topic, partition } = this.#p.batch;
    const offset = (BigInt(marked) + 1n).toString();
    try {
      await this.#p.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      this.#committed = marked;
    } catch (err) {
      this.#log.warn({ err, offset }, 'offset commit failed; records after the last committed offset will be consumed again');
    }
  }

  #accepted(message: KafkaMessage, record: PreparedRecord): void {
    this.#o.metrics.accepted.inc(record.batch.spanCount);
    if (record.rejectedSpans === 0) return;
    this.#o.metrics.refused.inc(record.rejectedSpans);
    this.#log.warn({ offset: message.offset, rejected_spans: record.rejectedSpans, reason: record.rejectReason },
      'spans with invalid trace or span IDs left out of a record');
  }

  /** Marked without reaching the pipeline: never silently. */
  #skip(message: KafkaMessage, outcome: Outcome & { kind: 'permanent' | 'retryable' }, reason: SkipReason): void {
    const spans = (outcome.record?.batch.spanCount ?? 0) + (outcome.record?.rejectedSpans ?? 0);
    this.#o.metrics.refused.inc(spans);
    this.#o.metrics.skipped(reason);
    this.#log.warn({ offset: message.offset, spans, reason, err: outcome.error }, SKIP_MESSAGES[reason]);
  }

  /** Stopped before the pipeline accepted the record: consumed again later, unless already marked. */
  #unfinished(message: KafkaMessage, outcome: Outcome & { kind: 'retryable' }): void {
    if (!this.#o.markAfter) {
      this.#skip(message, outcome, 'stopped');
      return;
    }
    if (this.#unfinishedLogged) return;
    this.#unfinishedLogged = true;
    this.#log.info({ offset: message.offset }, 'stopped before the pipeline accepted a record; it will be consumed again');
  }

  /** A record after the one processing stopped at: unmarked (consumed again) unless marking came first. */
  #abandon(message: KafkaMessage, outcome: Outcome): void {
    if (outcome.kind === 'accepted') this.#accepted(message, outcome.record);
    else if (!this.#o.markAfter) this.#skip(message, outcome, outcome.kind === 'permanent' ? 'permanent' : 'stopped');
  }

  #reportLag(): void {
    const { topic, partition, highWatermark } = this.#p.batch;
    if (this.#marked === undefined) return;
    const lag = BigInt(highWatermark) - BigInt(this.#marked) - 1n;
    this.#o.metrics.lag(topic, partition, Number(lag > 0n ? lag : 0n));
  }
}

const SKIP_MESSAGES: Readonly<Record<SkipReason, string>> = {
  permanent: 'record skipped: it can never be consumed',
  refused: 'record skipped: the pipeline refused it (message_marking.on_error: true)',
  stopped: 'record dropped: the receiver stopped before the pipeline accepted it (message_marking.after: false)',
};
