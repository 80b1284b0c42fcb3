import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { kafkaExporterFactory } from '../../../exporters/kafka/factory.ts';
import { resolveKafkaExporterSettings } from '../../../exporters/kafka/settings.ts';
import { parseConfig } from '../../../pipeline/config/load-config.ts';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';
import { InvalidConfigError } from '../../../pipeline/config/invalid-config-error.ts';
import type { KafkaExporterConfig } from '../../../exporters/kafka/config.ts';

const { CompressionTypes } = kafkajs;
const errorsOf = (config: unknown) => schemaErrors(kafkaExporterFactory.configSchema, config, 'kafka');

/** The kafka exporter's config as the loader makes it from an `exporters.kafka` body written in YAML. */
function load(body: string): KafkaExporterConfig {
  const text = `receivers: { otlp: { protocols: { grpc: } } }
exporters:
  kafka:
${body.replace(/^/gm, '    ')}
service: { pipelines: { traces: { receivers: [otlp], exporters: [kafka] } } }
`;
  const config = parseConfig(text, 'p.yaml', { env: {}, factories: [kafkaExporterFactory, otlpStub] });
  return config.exporters.kafka!.config as KafkaExporterConfig;
}

const otlpStub = Object.freeze({
  kind: 'receiver' as const, type: 'otlp', configSchema: {}, createDefaultConfig: () => ({}),
  createTraces: () => { throw new Error('not used'); },
});

describe('kafkaExporterFactory', () => {
  it('has the Collector\'s defaults, which pass the schema and checks', () => {
    const config = kafkaExporterFactory.createDefaultConfig();
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(kafkaExporterFactory.validate(config), []);
    assert.deepEqual(config.brokers, ['localhost:9092']);
    assert.equal(config.client_id, 'otel-collector');
    assert.deepEqual(config.traces, { topic: 'otlp_spans', encoding: 'otlp_proto' });
    assert.equal(config.partition_traces_by_id, false);
    assert.deepEqual(config.producer, {
      max_message_bytes: 1000000, required_acks: 1, compression: 'none', flush_max_messages: 0, allow_auto_topic_creation: true,
    });
    assert.equal(config.timeout, '5s');
    assert.equal(config.sending_queue.enabled, false);
  });

  it('reads a Collector config: older top-level topic and encoding, protocol_version, metadata', () => {
    const config = load(`brokers: [k1:9092, k2:9092]
protocol_version: 2.0.0
topic: spans
encoding: otlp_json
metadata: { full: false, retry: { max: 5, backoff: 1s } }
producer: { required_acks: all, compression: zstd }
`);
    assert.deepEqual(config.traces, { topic: 'spans', encoding: 'otlp_json' });
    const settings = resolveKafkaExporterSettings(config);
    assert.equal(settings.producer.topic, 'spans');
    assert.equal(settings.producer.acks, -1);
    assert.equal(settings.producer.compression, CompressionTypes.ZSTD);
    assert.deepEqual(settings.producer.brokers, ['k1:9092', 'k2:9092']);
    assert.equal(settings.records.encoding, 'otlp_json');
  });

  it('lets traces.topic and traces.encoding win over the older top-level keys', () => {
    const config = load(`topic: old
encoding: otlp_json
traces: { topic: new, encoding: otlp_proto }
`);
    assert.deepEqual(config.traces, { topic: 'new', encoding: 'otlp_proto' });
  });

  it('reports every problem at once: compression, acks, encoding, unknown keys', () => {
    assert.throws(() => load(`producer: { compression: brotli, required_acks: 2 }
traces: { encoding: jaeger_proto }
sasl: {}
`), (err: unknown) => {
      assert.ok(err instanceof InvalidConfigError);
      const paths = err.problems.map((p) => p.path).join(' ');
      for (const key of ['producer.compression', 'producer.required_acks', 'traces.encoding', 'sasl']) {
        assert.ok(paths.includes(key), `${key} in ${paths}`);
      }
      return true;
    });
  });

  it('takes producer.compression snappy and lz4, as the Collector writes them', () => {
    assert.equal(resolveKafkaExporterSettings(load('producer: { compression: snappy }')).producer.compression, CompressionTypes.Snappy);
    assert.equal(resolveKafkaExporterSettings(load('producer: { compression: lz4 }')).producer.compression, CompressionTypes.LZ4);
  });

  it('accepts include_metadata_keys naming only X-Scope-OrgID (any case), or none', () => {
    assert.deepEqual(load('include_metadata_keys: [X-Scope-OrgID]').include_metadata_keys, ['X-Scope-OrgID']);
    assert.deepEqual(load('include_metadata_keys: [x-scope-orgid]').include_metadata_keys, ['x-scope-orgid']);
    assert.deepEqual(load('include_metadata_keys: []').include_metadata_keys, []);
  });

  it('refuses include_metadata_keys it cannot carry, naming each', () => {
    assert.throws(() => load('include_metadata_keys: [X-Scope-OrgID, x-region, authorization]'), (err: unknown) => {
      assert.ok(err instanceof InvalidConfigError);
      const messages = err.problems.map((p) => p.message).join('\n');
      assert.match(messages, /"x-region" cannot be written as a record header: Tracelake requests carry only the tenant/);
      assert.match(messages, /"authorization" cannot be written/);
      assert.doesNotMatch(messages, /"X-Scope-OrgID"/);
      return true;
    });
  });

  it('accepts record_partitioner sticky_key with the sarama_compat hasher, written or by default', () => {
    for (const body of ['record_partitioner: { sticky_key: { hasher: sarama_compat } }', 'record_partitioner: { sticky_key: {} }',
      'record_partitioner: { sticky_key: }', 'record_partitioner: {}', 'partition_traces_by_id: true']) {
      assert.deepEqual(kafkaExporterFactory.validate(load(body)), [], body);
    }
    assert.deepEqual(load('partition_traces_by_id: true').record_partitioner, { sticky_key: { hasher: 'sarama_compat' } });
  });

  it('refuses every other record_partitioner with what to write instead', () => {
    const cases: Array<[string, RegExp]> = [
      ['record_partitioner: { sticky_key: { hasher: murmur2 } }', /record_partitioner\.sticky_key\.hasher: murmur2 is not supported: .*sarama_compat/],
      ['record_partitioner: { round_robin: {} }', /record_partitioner\.round_robin: not supported: .*write sticky_key: \{ hasher: sarama_compat \}/],
      ['record_partitioner: { least_backup: }', /record_partitioner\.least_backup: not supported/],
      ['record_partitioner: { extension: my_partitioner }', /record_partitioner\.extension: not supported/],
      ['record_partitioner: { sticky_key: {}, round_robin: {} }', /at most one strategy may be configured, found sticky_key, round_robin/],
    ];
    for (const [body, expected] of cases) assert.throws(() => load(body), expected, body);
  });

  it('checks retry_on_failure across fields', () => {
    assert.throws(() => load('retry_on_failure: { max_elapsed_time: 1s }'), /max_elapsed_time: must not be less than initial_interval/);
  });
});
