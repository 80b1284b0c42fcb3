import assert from 'node:assert/strict';
import type { TracelakeExporterConfig } from '../../../exporters/tracelake/config.ts';
import { tracelakeExporterFactory } from '../../../exporters/tracelake/factory.ts';
import { resolveTracelakeSettings, tracelakeConfigProblems } from '../../../exporters/tracelake/settings.ts';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';

type S3Patch = Partial<TracelakeExporterConfig['storage']['trace']['s3']>;

function s3Config(s3: S3Patch, patch?: (c: TracelakeExporterConfig) => void): TracelakeExporterConfig {
  const config = tracelakeExporterFactory.createDefaultConfig();
  config.storage.trace.backend = 's3';
  Object.assign(config.storage.trace.s3, s3);
  patch?.(config);
  return config;
}

const ISSUE_EXAMPLE: S3Patch = {
  bucket: 'tracelake', endpoint: '127.0.0.1:9000', region: 'us-east-1', access_key: 'tracelake',
  secret_key: 'tracelake-secret', insecure: true, forcepathstyle: true, prefix: '',
};

function schemaProblems(config: unknown): string[] {
  return schemaErrors(tracelakeExporterFactory.configSchema, config, 'test').map((e) => `${e.instancePath} ${e.message}`);
}

describe('tracelake exporter config: storage.trace.s3', () => {
  it('takes the issue\'s example as it is and resolves it into store options', () => {
    const config = s3Config(ISSUE_EXAMPLE);
    assert.deepEqual(schemaProblems(config), []);
    assert.deepEqual(tracelakeConfigProblems(config), []);
    assert.deepEqual(resolveTracelakeSettings(config).store, {
      backend: 's3',
      s3: {
        bucket: 'tracelake', endpoint: '127.0.0.1:9000', region: 'us-east-1',
        credentials: { accessKeyId: 'tracelake', secretAccessKey: 'tracelake-secret' },
        insecure: true, forcePathStyle: true, prefix: '', partSize: 16 * 1024 * 1024,
        retry: { maxAttempts: 5, backoffInitialMs: 200, backoffMaxMs: 1000 },
      },
    });
  });

  it('leaves credentials to the SDK default chain when neither key is set, and parses units', () => {
    const config = s3Config({ bucket: 'b', endpoint: 's3.eu-west-1.amazonaws.com', part_size: '8MiB', retry_backoff_max: '3s' });
    assert.deepEqual(tracelakeConfigProblems(config), []);
    const store = resolveTracelakeSettings(config).store;
    assert.equal(store.backend, 's3');
    if (store.backend !== 's3') return;
    assert.equal(store.s3.credentials, undefined);
    assert.equal(store.s3.partSize, 8 * 1024 * 1024);
    assert.equal(store.s3.retry?.backoffMaxMs, 3000);
    assert.equal(store.s3.insecure, false);
  });

  it('reports a missing bucket and endpoint and a lone access key, each with its path', () => {
    assert.deepEqual(tracelakeConfigProblems(s3Config({ access_key: 'k' })), [
      'storage.trace.s3.bucket: required when storage.trace.backend is s3',
      'storage.trace.s3.endpoint: required when storage.trace.backend is s3 (e.g. s3.us-east-1.amazonaws.com or 127.0.0.1:9000)',
      'storage.trace.s3.access_key: access_key and secret_key go together: set both, or neither to use the AWS SDK default credential chain',
    ]);
    assert.equal(tracelakeConfigProblems(s3Config({ bucket: 'b', endpoint: 'h', secret_key: 's' })).length, 1);
  });

  it('reports an endpoint with a scheme or path, a prefix that could escape, a too small part, inverted backoffs', () => {
    const problems = tracelakeConfigProblems(s3Config({
      bucket: 'b', endpoint: 'http://127.0.0.1:9000', prefix: 'a/../b', part_size: '1MiB',
      retry_backoff_initial: '2s', retry_backoff_max: '1s', session_token: 't',
    }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]), [
      'storage.trace.s3.endpoint', 'storage.trace.s3.session_token', 'storage.trace.s3.prefix', 'storage.trace.s3.part_size',
      'storage.trace.s3.retry_backoff_max',
    ]);
    assert.match(problems[0]!, /without a scheme or path \(insecure: true selects http\), got "http:\/\/127\.0\.0\.1:9000"/);
    for (const endpoint of ['minio', 'minio:9000', 's3.us-east-1.amazonaws.com', '[::1]:9000']) {
      assert.deepEqual(tracelakeConfigProblems(s3Config({ bucket: 'b', endpoint })), [], endpoint);
    }
    for (const prefix of ['tempo', '/tempo/', 'a/b', '']) {
      assert.deepEqual(tracelakeConfigProblems(s3Config({ bucket: 'b', endpoint: 'h', prefix })), [], prefix);
    }
    assert.deepEqual(tracelakeConfigProblems(s3Config({ bucket: 'b', endpoint: 'h', part_size: 0 })), []);
  });

  it('checks neither the s3 section with backend local nor the WAL against the local path with backend s3', () => {
    const local = tracelakeExporterFactory.createDefaultConfig();
    local.storage.trace.s3.endpoint = 'http://not/checked';
    assert.deepEqual(tracelakeConfigProblems(local), []);
    const s3 = s3Config({ bucket: 'b', endpoint: 'h' }, (c) => { c.storage.trace.wal.path = './data/blocks/wal'; });
    assert.deepEqual(tracelakeConfigProblems(s3), []);
  });

  it('refuses unknown keys and bad types in the s3 section', () => {
    assert.notDeepEqual(schemaProblems(s3Config({ bucket: 'b' }, (c) => { (c.storage.trace.s3 as unknown as Record<string, unknown>).bucket_lookup_type = 1; })), []);
    assert.notDeepEqual(schemaProblems(s3Config({ insecure: 'yes' as unknown as boolean })), []);
    assert.notDeepEqual(schemaProblems(s3Config({ retry_max_attempts: 0 })), []);
    assert.notDeepEqual(schemaProblems(s3Config({ part_size: '16 lightyears' })), []);
  });
});
