import assert from 'node:assert/strict';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';
import type { OtlpReceiverConfig } from '../../../receivers/otlp/config.ts';
import { otlpReceiverFactory } from '../../../receivers/otlp/factory.ts';
import type { OtlpReceiver } from '../../../receivers/otlp/otlp-receiver.ts';
import { resolveOtlpReceiverSettings } from '../../../receivers/otlp/settings.ts';
import { RecordingConsumer, testSettings } from './receiver-harness.ts';

const errorsOf = (config: unknown): string[] =>
  schemaErrors(otlpReceiverFactory.configSchema, config, 'otlp').map((e) => `${e.instancePath} ${e.message}`);

describe('otlpReceiverFactory', () => {
  it('has a default config with both protocols that passes its schema and checks', () => {
    const config = otlpReceiverFactory.createDefaultConfig();
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(otlpReceiverFactory.validate(config), []);
    assert.equal(config.protocols.grpc?.endpoint, '0.0.0.0:4317');
    assert.equal(config.protocols.http?.endpoint, '0.0.0.0:4318');
    assert.equal(config.protocols.http?.max_request_body_size, 20 * 1024 * 1024);
  });

  it('accepts Collector-style values: empty protocols, byte sizes and durations with units', () => {
    assert.deepEqual(errorsOf({ protocols: { grpc: null, http: null } }), []);
    assert.deepEqual(errorsOf({
      protocols: {
        grpc: { keepalive: { server_parameters: { max_connection_age: '30s' } } },
        http: { max_request_body_size: '8MiB', idle_timeout: '90s', include_metadata: true },
      },
    }), []);
  });

  it('refuses unknown keys at every level', () => {
    assert.equal(errorsOf({ protocols: {}, extra: 1 }).length, 1);
    assert.equal(errorsOf({ protocols: { thrift: {} } }).length, 1);
    assert.equal(errorsOf({ protocols: { grpc: { tls: {} } } }).length, 1);
    assert.equal(errorsOf({ protocols: { grpc: { keepalive: { server_parameters: { nope: '1s' } } } } }).length, 1);
    assert.equal(errorsOf({ protocols: { http: { timeout: 200 } } }).length, 1);
  });

  it('reports a config without protocols and endpoints that do not parse', () => {
    assert.equal(otlpReceiverFactory.validate({ protocols: {} }).length, 1);
    const problems = otlpReceiverFactory.validate({
      protocols: { grpc: { endpoint: 'localhost' }, http: { endpoint: 'host:99999' } },
    });
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['protocols.grpc.endpoint', 'protocols.http.endpoint']);
  });

  it('disables a protocol the user left out when merging over the defaults', () => {
    const merged = otlpReceiverFactory.mergeConfig(otlpReceiverFactory.createDefaultConfig(), {
      protocols: { grpc: null },
    });
    assert.equal(merged.protocols.grpc?.endpoint, '0.0.0.0:4317');
    assert.equal('http' in merged.protocols, false);
  });

  it('fills defaults key by key for a protocol given in part', () => {
    const settings = resolveOtlpReceiverSettings({ protocols: { http: { endpoint: '127.0.0.1:9999' } } });
    assert.equal(settings.grpc, undefined);
    assert.deepEqual(settings.http?.endpoint, { host: '127.0.0.1', port: 9999 });
    assert.equal(settings.http?.tracesPath, '/v1/traces');
    assert.equal(settings.http?.maxBodyBytes, 20 * 1024 * 1024);
    assert.equal(settings.http?.idleTimeoutMs, 60_000);
  });

  it('maps gRPC keepalive durations to grpc-js options in milliseconds', () => {
    const settings = resolveOtlpReceiverSettings({
      protocols: { grpc: { keepalive: { server_parameters: { max_connection_age: '30s', time: '1m30s' } } } },
    });
    assert.deepEqual(settings.grpc?.keepaliveOptions, {
      'grpc.max_connection_age_ms': 30_000, 'grpc.keepalive_time_ms': 90_000,
    });
    assert.equal(settings.grpc?.maxRecvBytes, 4 * 1024 * 1024);
  });

  it('starts only the protocols configured', async () => {
    const config: OtlpReceiverConfig = { protocols: { http: { endpoint: '127.0.0.1:0' } } };
    const receiver = otlpReceiverFactory.createTraces(testSettings(), config, new RecordingConsumer()) as OtlpReceiver;
    await receiver.start({ signal: new AbortController().signal });
    try {
      const endpoints = receiver.endpoints();
      assert.equal(endpoints.grpc, undefined);
      assert.match(endpoints.http!, /^127\.0\.0\.1:\d+$/);
    } finally {
      await receiver.shutdown();
      await receiver.shutdown();
    }
  });
});
