import type { Consumer, ConsumerCrashEvent, RemoveInstrumentationEventListener } from 'kafkajs';
import type { Logger } from 'pino';
import { logConsumerLifecycle } from './lifecycle-logs.ts';
import type { KafkaReceiverMetrics } from './receiver-metrics.ts';
import { RestartBackoff, type RestartSettings } from './restart-backoff.ts';

export interface SupervisorOptions {
  /** A new, unconnected consumer. */
  readonly create: () => Consumer;
  /** Connects, subscribes and runs it; resolves once it consumes. */
  readonly run: (consumer: Consumer) => Promise<void>;
  readonly restart: RestartSettings;
  readonly metrics: KafkaReceiverMetrics;
  readonly logger: Logger;
  /** Aborted when the receiver shuts down. */
  readonly signal: AbortSignal;
}

/**
 * Keeps one consumer running. kafkajs restarts a crashed consumer itself only after a retriable error; after
 * any other (a codec it lacks, an error thrown by the handler) it leaves the consumer stopped, and the
 * receiver would go quiet in a process that looks healthy. Those crashes are restarted here, with a new
 * consumer after a backoff, until the cause goes away. Every crash is logged at error and counted.
 */
export class ConsumerSupervisor {
  readonly #o: SupervisorOptions;
  readonly #backoff: RestartBackoff;
  #consumer: Consumer | undefined;
  #unwatch: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #restarting: Promise<void> | undefined;

  constructor(options: SupervisorOptions) {
    this.#o = options;
    this.#backoff = new RestartBackoff(options.restart);
  }

  /** Starts the first consumer; rejects (having disconnected it) when it cannot run. */
  async start(): Promise<void> {
    await this.#runNew();
  }

  /** Stops restarting and disconnects the current consumer, letting its batches in hand finish. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    const consumer = this.#consumer;
    this.#consumer = undefined;
    try {
      await Promise.all([consumer?.disconnect(), this.#restarting]);
    } finally {
      this.#unwatch?.();
      this.#unwatch = undefined;
    }
  }

  async #runNew(): Promise<void> {
    const consumer = this.#o.create();
    this.#unwatch?.();
    this.#unwatch = this.#watch(consumer);
    this.#consumer = consumer;
    try {
      await this.#o.run(consumer);
      if (this.#o.signal.aborted) throw new Error('the receiver is shutting down');
    } catch (err) {
      if (this.#consumer === consumer) this.#consumer = undefined;
      await consumer.disconnect().catch((e: unknown) => this.#o.logger.warn({ err: e }, 'disconnecting a consumer that failed to start failed'));
      throw err;
    }
    this.#backoff.started();
  }

  #watch(consumer: Consumer): () => void {
    const { GROUP_JOIN, CRASH } = consumer.events;
    const removers: RemoveInstrumentationEventListener<string>[] = [
      consumer.on(GROUP_JOIN, () => this.#o.metrics.consumerUp.set(1)),
      consumer.on(CRASH, (event: ConsumerCrashEvent) => this.#crashed(consumer, event.payload)),
    ];
    const unlog = logConsumerLifecycle(consumer, this.#o.logger);
    return () => {
      for (const remove of removers) remove();
      unlog();
    };
  }

  #crashed(consumer: Consumer, crash: ConsumerCrashEvent['payload']): void {
    this.#o.metrics.crashes.inc();
    this.#o.metrics.consumerUp.set(0);
    const log = { err: crash.error, group_id: crash.groupId };
    if (crash.restart) {
      this.#o.logger.error({ ...log, restart_by: 'kafkajs' }, 'kafka consumer crashed');
      return;
    }
    if (this.#o.signal.aborted || consumer !== this.#consumer) {
      this.#o.logger.error(log, 'kafka consumer crashed');
      return;
    }
    const delay = this.#backoff.delay();
    this.#o.logger.error({ ...log, restart_by: 'receiver', restart_in_ms: delay }, 'kafka consumer crashed');
    this.#schedule(delay);
  }

  #schedule(delay: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#restarting = this.#restart().finally(() => { this.#restarting = undefined; });
    }, delay).unref();
  }

  /** Never rejects: a failed attempt is logged and tried again later. */
  async #restart(): Promise<void> {
    const old = this.#consumer;
    await old?.disconnect().catch((err: unknown) => this.#o.logger.warn({ err }, 'disconnecting the crashed consumer failed'));
    if (this.#o.signal.aborted) return;
    try {
      await this.#runNew();
      this.#o.logger.info('kafka consumer restarted');
    } catch (err) {
      if (this.#o.signal.aborted) return;
      const delay = this.#backoff.delay();
      this.#o.logger.error({ err, restart_in_ms: delay }, 'restarting the kafka consumer failed');
      this.#schedule(delay);
    }
  }
}
