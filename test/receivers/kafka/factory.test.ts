import assert from 'node:assert/strict';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';
import type { KafkaReceiverConfig } from '../../../receivers/kafka/config.ts';
import { kafkaReceiverFactory } from '../../../receivers/kafka/factory.ts';
import { resolveKafkaReceiverSettings } from '../../../receivers/kafka/settings.ts';

const merged = (user: unknown) => kafkaReceiverFactory.mergeConfig(kafkaReceiverFactory.createDefaultConfig(), user);
const errorsOf = (config: unknown) => schemaErrors(kafkaReceiverFactory.configSchema, config, 'kafka');

describe('kafkaReceiverFactory', () => {
  it('has the Collector\'s defaults except at-least-once marking, and they pass the schema and checks', () => {
    const config = kafkaReceiverFactory.createDefaultConfig();
    assert.deepEqual(config.brokers, ['localhost:9092']);
    assert.equal(config.group_id, 'otel-collector');
    assert.equal(config.client_id, 'otel-collector');
    assert.equal(config.initial_offset, 'latest');
    assert.deepEqual(config.message_marking, { after: true, on_error: false });
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(kafkaReceiverFactory.validate(config), []);
    const settings = resolveKafkaReceiverSettings(config);
    assert.deepEqual(settings.topics, ['otlp_spans']);
    assert.equal(settings.encoding, 'otlp_proto');
    assert.equal(settings.sessionTimeoutMs, 10_000);
    assert.equal(settings.heartbeatIntervalMs, 3_000);
  });

  it('accepts the older top-level topic and encoding instead of the default traces keys', () => {
    const config = merged({ topic: 'spans-v1', encoding: 'otlp_json' });
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(kafkaReceiverFactory.validate(config), []);
    const settings = resolveKafkaReceiverSettings(config);
    assert.deepEqual(settings.topics, ['spans-v1']);
    assert.equal(settings.encoding, 'otlp_json');
  });

  it('accepts traces.topic, traces.topics and regular-expression topics', () => {
    assert.deepEqual(resolveKafkaReceiverSettings(merged({ traces: { topic: 'one' } })).topics, ['one']);
    const settings = resolveKafkaReceiverSettings(merged({ traces: { topics: ['a', '^spans-.*'] } }));
    assert.equal(settings.topics[0], 'a');
    assert.ok(settings.topics[1] instanceof RegExp && settings.topics[1].test('spans-eu'));
  });

  it('reports both generations of a key, a heartbeat not below the session timeout and unsupported options', () => {
    const config: KafkaReceiverConfig = merged({
      topic: 'x', encoding: 'otlp_json', traces: { topic: 'y', topics: ['z'], encoding: 'otlp_proto' },
      session_timeout: '3s', heartbeat_interval: '3s', brokers: ['nohost'],
      message_marking: { on_permanent_error: false }, header_extraction: { extract_headers: true },
    });
    const problems = kafkaReceiverFactory.validate(config);
    for (const key of ['traces.topic', 'topic', 'encoding', 'brokers', 'heartbeat_interval',
      'message_marking.on_permanent_error', 'header_extraction.extract_headers']) {
      assert.ok(problems.some((p) => p.startsWith(`${key}: `)), `${key} in ${problems.join(' | ')}`);
    }
  });

  it('refuses unknown keys and an unknown encoding or initial offset', () => {
    assert.ok(errorsOf(merged({ group: 'x' })).length > 0);
    assert.ok(errorsOf(merged({ traces: { encoding: 'jaeger_proto' } })).length > 0);
    assert.ok(errorsOf(merged({ initial_offset: 'newest' })).length > 0);
  });
});
