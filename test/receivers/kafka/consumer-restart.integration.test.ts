import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import kafkajs from 'kafkajs';
import { pino } from 'pino';
import type { KafkaCodec } from '../../../pipeline/kafka/compression-codecs.ts';
import { kafkaReceiverFactory } from '../../../receivers/kafka/factory.ts';
import { KafkaReceiver } from '../../../receivers/kafka/kafka-receiver.ts';
import { resolveKafkaReceiverSettings } from '../../../receivers/kafka/settings.ts';
import {
  assertBrokerReachable, createTopic, deleteTopic, kafkaBrokers, testKafka, uniqueTopicName,
} from '../../integration/kafka-broker.ts';
import { Downstream, metricValue, testSettings, traceRequestProto, until } from './trace-records.ts';

const { CompressionCodecs, CompressionTypes, KafkaJSNonRetriableError } = kafkajs; // CommonJS: no named exports under Node's ESM
const codecs = CompressionCodecs as unknown as Record<number, () => KafkaCodec>;

describe('kafka receiver when kafkajs gives up on its consumer', function () {
  this.timeout(60_000);
  let topic = '';
  let receiver: KafkaReceiver | undefined;

  before(() => assertBrokerReachable());

  afterEach(async () => {
    await receiver?.shutdown();
    await deleteTopic(topic);
  });

  it('restarts it with backoff, logging each crash at error, and consumes once the cause is gone', async () => {
    topic = await createTopic(1, 'receiver-restart');
    const logs: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(line, _enc, done) { logs.push(JSON.parse(String(line))); done(); } });
    const settings = { ...testSettings('kafka/restart'), logger: pino({ level: 'info' }, sink) };
    const config = kafkaReceiverFactory.mergeConfig(kafkaReceiverFactory.createDefaultConfig(), {
      brokers: kafkaBrokers(), group_id: uniqueTopicName('group'), traces: { topics: [topic] }, initial_offset: 'earliest',
      session_timeout: '6s', heartbeat_interval: '500ms', max_fetch_wait: '100ms',
    });
    const downstream = new Downstream();
    receiver = new KafkaReceiver(settings, { ...resolveKafkaReceiverSettings(config), restart: { initialMs: 100, maxMs: 5000 } }, downstream);
    await receiver.start({ signal: new AbortController().signal });

    // The codec registered on the producer side only: this consumer cannot read the batch (kafkajs: restart false).
    const real = codecs[CompressionTypes.Snappy]!;
    codecs[CompressionTypes.Snappy] = () => ({
      compress: real().compress,
      decompress: () => Promise.reject(new KafkaJSNonRetriableError('Snappy compression not implemented')),
    });
    const crashes = () => metricValue(settings.metrics, 'tracelake_receiver_kafka_consumer_crashes_total', { receiver: 'kafka/restart' });
    try {
      const producer = testKafka('tracelake-restart-test-producer').producer();
      await producer.connect();
      await producer.send({ topic, compression: CompressionTypes.Snappy, messages: [{ value: traceRequestProto(['z1', 'z2']) }] })
        .finally(() => producer.disconnect());
      for (const deadline = Date.now() + 30_000; (await crashes()) < 3;) {
        if (Date.now() > deadline) assert.fail(`crashes: ${await crashes()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(downstream.calls.length, 0);
    } finally {
      codecs[CompressionTypes.Snappy] = real;
    }
    await until(() => downstream.accepted.length === 1, 'the record, once the consumer can read it');
    assert.deepEqual(downstream.acceptedNames(), ['z1', 'z2']);
    assert.equal(await metricValue(settings.metrics, 'tracelake_receiver_kafka_consumer_up', { receiver: 'kafka/restart' }), 1);

    const crashed = logs.filter((l) => l.msg === 'kafka consumer crashed' && l.restart_by === 'receiver');
    assert.ok(crashed.length >= 3, `${crashed.length} crash lines`);
    for (const line of crashed) {
      assert.equal(line.level, 50, 'logged at error');
      assert.match(String((line.err as { message?: string }).message), /Snappy compression not implemented/);
    }
    const delays = crashed.map((l) => l.restart_in_ms as number);
    assert.deepEqual(delays.slice(0, 3), [100, 200, 400], 'doubling while it keeps crashing soon after each restart');
    assert.ok(logs.some((l) => l.msg === 'kafka consumer restarted'));
  });
});
