import type { Consumer, RemoveInstrumentationEventListener } from 'kafkajs';
import type { Logger } from 'pino';

/** Logs the consumer's lifecycle (joins, assignments, rebalances, crashes), never single records; returns the unsubscriber. */
export function logConsumerLifecycle(consumer: Consumer, logger: Logger): () => void {
  const { GROUP_JOIN, REBALANCING, CRASH } = consumer.events;
  const removers: RemoveInstrumentationEventListener<string>[] = [
    consumer.on(GROUP_JOIN, ({ payload }) => {
      logger.info({
        group_id: payload.groupId, member_id: payload.memberId, leader: payload.isLeader, assigned: payload.memberAssignment,
      }, 'joined consumer group');
    }),
    consumer.on(REBALANCING, ({ payload }) => {
      logger.info({ group_id: payload.groupId, member_id: payload.memberId }, 'consumer group rebalancing');
    }),
    consumer.on(CRASH, ({ payload }) => {
      logger.error({ err: payload.error, group_id: payload.groupId, restart: payload.restart }, 'kafka consumer crashed');
    }),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
