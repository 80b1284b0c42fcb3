import assert from 'node:assert/strict';
import type { Consumer } from 'kafkajs';
import { pino } from 'pino';
import { ConsumerSupervisor } from '../../../receivers/kafka/consumer-supervisor.ts';
import { KafkaReceiverMetrics } from '../../../receivers/kafka/receiver-metrics.ts';
import { metricValue, testSettings, until } from './trace-records.ts';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing', CRASH: 'consumer.crash' };

/** The part of a kafkajs consumer the supervisor touches: events, connect/run (via `run`) and disconnect. */
class FakeConsumer {
  readonly events = EVENTS;
  readonly listeners = new Map<string, (event: { payload: unknown }) => void>();
  disconnects = 0;

  on(name: string, listener: (event: { payload: unknown }) => void): () => void {
    this.listeners.set(name, listener);
    return () => this.listeners.delete(name);
  }

  async disconnect(): Promise<void> {
    this.disconnects++;
  }

  crash(restart: boolean): void {
    this.listeners.get(EVENTS.CRASH)?.({ payload: { error: new Error('codec missing'), groupId: 'g', restart } });
  }
}

describe('ConsumerSupervisor', () => {
  it('restarts a consumer kafkajs will not restart, trying again with backoff while starting fails', async () => {
    const settings = testSettings('kafka/supervisor');
    const consumers: FakeConsumer[] = [];
    const outcomes = ['ok', 'broker down', 'broker down', 'ok'];
    const abort = new AbortController();
    const supervisor = new ConsumerSupervisor({
      create: () => {
        consumers.push(new FakeConsumer());
        return consumers.at(-1) as unknown as Consumer;
      },
      run: async () => {
        const outcome = outcomes.shift();
        if (outcome !== 'ok') throw new Error(outcome);
      },
      restart: { initialMs: 5, maxMs: 1000 },
      metrics: new KafkaReceiverMetrics(settings),
      logger: pino({ level: 'silent' }),
      signal: abort.signal,
    });
    await supervisor.start();
    consumers[0]!.crash(true);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(consumers.length, 1, 'kafkajs restarts that one itself');

    consumers[0]!.crash(false);
    await until(() => outcomes.length === 0, 'three more attempts');
    assert.equal(consumers.length, 4);
    assert.ok(consumers.slice(0, 3).every((c) => c.disconnects > 0), 'the crashed and the failed consumers were disconnected');
    assert.equal(await metricValue(settings.metrics, 'tracelake_receiver_kafka_consumer_crashes_total', { receiver: 'kafka/supervisor' }), 2);

    abort.abort();
    await supervisor.stop();
    assert.equal(consumers[3]!.disconnects, 1);
    consumers[3]!.crash(false);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(consumers.length, 4, 'no restart after stop');
  });
});
