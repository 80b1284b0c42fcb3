import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { abortableDelay } from '../abortable-delay.ts';

/** Errors a broker answers while it creates a topic on first use (auto.create.topics.enable). */
const TOPIC_NOT_READY = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);
const RETRY_MS = 250;
const PATIENCE_MS = 10_000;

export interface SubscribeOptions {
  readonly topics: readonly (string | RegExp)[];
  readonly fromBeginning: boolean;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Subscribes, waiting a little for topics the broker is still creating: the first metadata request for a
 * missing topic starts its creation but fails, and kafkajs does not ask again.
 */
export async function subscribeTopics(consumer: Consumer, options: SubscribeOptions): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    try {
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
      return;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === undefined || !TOPIC_NOT_READY.has(type) || Date.now() > deadline || options.signal.aborted) throw err;
      options.logger.debug({ err }, 'topic not ready yet; subscribing again');
      await abortableDelay(RETRY_MS, options.signal);
    }
  }
}
