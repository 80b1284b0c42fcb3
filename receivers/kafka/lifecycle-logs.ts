import type { Consumer, RemoveInstrumentationEventListener } from 'kafkajs';
import type { Logger } from 'pino';

/** Logs the consumer's joins and rebalances, never single records (crashes: ConsumerSupervisor); returns the unsubscriber. */
export function logConsumerLifecycle(consumer: Consumer, logger: Logger): () => void {
  const { GROUP_JOIN, REBALANCING } = consumer.events;
  const removers: RemoveInstrumentationEventListener<string>[] = [
    consumer.on(GROUP_JOIN, ({ payload }) => {
      logger.info({
        group_id: payload.groupId, member_id: payload.memberId, leader: payload.isLeader, assigned: payload.memberAssignment,
      }, 'joined consumer group');
    }),
    consumer.on(REBALANCING, ({ payload }) => {
      logger.info({ group_id: payload.groupId, member_id: payload.memberId }, 'consumer group rebalancing');
    }),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
