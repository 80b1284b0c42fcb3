import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { tracelakeExporterFactory } from '../../../exporters/tracelake/factory.ts';
import type { TracelakeExporterConfig } from '../../../exporters/tracelake/config.ts';
import { resolveTracelakeSettings, tracelakeConfigProblems } from '../../../exporters/tracelake/settings.ts';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';

function configWith(patch: (c: TracelakeExporterConfig) => void): TracelakeExporterConfig {
  const config = tracelakeExporterFactory.createDefaultConfig();
  patch(config);
  return config;
}

function errorsOf(config: unknown): string[] {
  return schemaErrors(tracelakeExporterFactory.configSchema, config, 'test').map((e) => `${e.instancePath} ${e.message}`);
}

describe('tracelakeExporterFactory config', () => {
  it('has Tempo-style defaults that pass the schema and the cross-field checks', () => {
    const config = tracelakeExporterFactory.createDefaultConfig();
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(tracelakeConfigProblems(config), []);
    const { compactor, querier, queryFrontend, ...rest } = resolveTracelakeSettings(config);
    assert.deepEqual(querier, { ingesterAddresses: [], ingesterTimeoutMs: 2000, searchWorkers: availableParallelism() });
    assert.deepEqual(queryFrontend, {
      querierAddresses: [], queryShards: 8, maxConcurrentJobs: 16, querierTimeoutMs: 10_000,
      search: {
        concurrentJobs: 16, targetBytesPerJob: 100 * 1024 * 1024, defaultResultLimit: 20, maxResultLimit: 0,
        maxDurationMs: 168 * 3_600_000, queryTimeoutMs: 30_000,
      },
    });
    assert.deepEqual(rest, {
      listenAddress: '0.0.0.0',
      port: 3200,
      multitenancy: false,
      traceIdlePeriodMs: 5000,
      maxBlockDurationMs: 300_000,
      maxBlockBytes: 64 * 1024 * 1024,
      completeBlockTimeoutMs: 900_000,
      ingest: undefined,
      store: { backend: 'local', path: './data/blocks' },
      walPath: './data/wal',
      blocklistPollMs: 30_000,
      bloomFalsePositive: 0.001,
    });
    assert.equal(compactor.windowMs, 3_600_000);
    assert.equal(compactor.blockRetentionMs, 336 * 3_600_000);
  });

  it('resolves ingest.kafka only when ingest is enabled, and checks its timeouts', () => {
    const config = configWith((c) => {
      c.ingest.enabled = true;
      c.ingest.kafka.brokers = ['k1:9092', 'k2:9092'];
      c.ingest.kafka.heartbeat_interval = '20s';
    });
    assert.deepEqual(resolveTracelakeSettings(config).ingest, {
      brokers: ['k1:9092', 'k2:9092'], topic: 'otlp_spans', groupId: 'tracelake-ingester', clientId: 'tracelake-ingester',
      encoding: 'otlp_proto', fromBeginning: true, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 20_000, maxWaitMs: 250,
    });
    assert.deepEqual(tracelakeConfigProblems(config), [
      'ingest.kafka.heartbeat_interval: must be greater than 0 and less than session_timeout',
    ]);
  });

  it('wants complete_block_timeout to cover two block-list polls', () => {
    const config = configWith((c) => {
      c.ingester.complete_block_timeout = '30s';
    });
    assert.deepEqual(tracelakeConfigProblems(config), ['ingester.complete_block_timeout: must be at least 2 × storage.trace.blocklist_poll']);
  });

  it('reports compactor problems under exporters.tracelake.compactor', () => {
    const config = tracelakeExporterFactory.createDefaultConfig();
    config.compactor.compaction.max_input_blocks = 2;
    config.compactor.compaction.min_input_blocks = 3;
    assert.deepEqual(tracelakeConfigProblems(config), [
      'compactor.compaction.max_input_blocks: must not be below min_input_blocks (3)',
    ]);
  });

  it('returns a fresh default config each call and is frozen', () => {
    assert.notEqual(tracelakeExporterFactory.createDefaultConfig(), tracelakeExporterFactory.createDefaultConfig());
    assert.ok(Object.isFrozen(tracelakeExporterFactory));
    assert.equal(tracelakeExporterFactory.type, 'tracelake');
    assert.equal(tracelakeExporterFactory.kind, 'exporter');
  });

  it('refuses unknown keys at every level', () => {
    assert.notDeepEqual(errorsOf({ bogus: 1 }), []);
    assert.notDeepEqual(errorsOf({ server: { grpc_listen_port: 1 } }), []);
    assert.notDeepEqual(errorsOf({ storage: { trace: { local: { path: 'x', extra: true } } } }), []);
    assert.notDeepEqual(errorsOf({ storage: { trace: { block: { version: 'vParquet4' } } } }), []);
  });

  it('refuses a backend other than local or s3, bad units and a bad port', () => {
    assert.deepEqual(errorsOf(configWith((c) => { c.storage.trace.backend = 's3'; })), []);
    assert.notDeepEqual(errorsOf(configWith((c) => { c.storage.trace.backend = 'gcs' as 'local'; })), []);
    assert.notDeepEqual(errorsOf(configWith((c) => { c.ingester.trace_idle_period = '5 seconds'; })), []);
    assert.notDeepEqual(errorsOf(configWith((c) => { c.ingester.trace_idle_period = 200; })), []);
    assert.notDeepEqual(errorsOf(configWith((c) => { c.ingester.max_block_bytes = '100 parsecs'; })), []);
    assert.notDeepEqual(errorsOf(configWith((c) => { c.server.http_listen_port = 70000; })), []);
  });

  it('reports a bloom false-positive rate outside (0, 1) with its path', () => {
    for (const fp of [0, 1, 1.5, -0.1]) {
      const problems = tracelakeConfigProblems(configWith((c) => { c.storage.trace.block.bloom_filter_false_positive = fp; }));
      assert.equal(problems.length, 1, `fp ${fp}`);
      assert.match(problems[0]!, /^storage\.trace\.block\.bloom_filter_false_positive: must be between 0 and 1/);
    }
  });

  it('reports zero durations, zero block size and a WAL inside the blocks folder', () => {
    const problems = tracelakeConfigProblems(configWith((c) => {
      c.ingester.trace_idle_period = 0;
      c.ingester.max_block_duration = '0';
      c.ingester.max_block_bytes = 0;
      c.storage.trace.wal.path = './data/blocks/wal';
    }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]), [
      'ingester.trace_idle_period', 'ingester.max_block_duration', 'ingester.max_block_bytes', 'storage.trace.wal.path',
    ]);
  });

  it('takes defaults for keys left out or written empty', () => {
    const partial = { server: null, ingester: { trace_idle_period: '10s' } } as unknown as TracelakeExporterConfig;
    const settings = resolveTracelakeSettings(partial);
    assert.equal(settings.port, 3200);
    assert.equal(settings.traceIdlePeriodMs, 10_000);
    assert.equal(settings.maxBlockDurationMs, 300_000);
  });

  it('reads querier.ingester_addresses and ingester_timeout', () => {
    const config = configWith((c) => {
      c.querier.ingester_addresses = ['ingester-1:3200', '[::1]:3201'];
      c.querier.ingester_timeout = '500ms';
    });
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(tracelakeConfigProblems(config), []);
    assert.deepEqual(resolveTracelakeSettings(config).querier, {
      ingesterAddresses: ['ingester-1:3200', '[::1]:3201'], ingesterTimeoutMs: 500, searchWorkers: availableParallelism(),
    });
  });

  it('reads querier.search.workers: auto (one per core), 0 (on the event loop) or a count', () => {
    const workers = (w: number | 'auto') => resolveTracelakeSettings(configWith((c) => { c.querier.search.workers = w; })).querier.searchWorkers;
    assert.deepEqual([workers('auto'), workers(0), workers(3)], [availableParallelism(), 0, 3]);
    const bad = { ...tracelakeExporterFactory.createDefaultConfig(), querier: { search: { workers: 'many' } } };
    assert.ok(errorsOf(bad).includes('/querier/search/workers must match a schema in anyOf'), errorsOf(bad).join('\n'));
  });

  it('reads query_frontend.search and checks its values across fields', () => {
    const config = configWith((c) => {
      c.query_frontend.search = {
        concurrent_jobs: 4, target_bytes_per_job: '1MiB', default_result_limit: 50, max_result_limit: 200, max_duration: '24h', query_timeout: '5s',
      };
    });
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(resolveTracelakeSettings(config).queryFrontend.search, {
      concurrentJobs: 4, targetBytesPerJob: 1024 * 1024, defaultResultLimit: 50, maxResultLimit: 200, maxDurationMs: 86_400_000, queryTimeoutMs: 5000,
    });
    const problems = tracelakeConfigProblems(configWith((c) => {
      c.query_frontend.search = { ...c.query_frontend.search, target_bytes_per_job: 0, query_timeout: 0, default_result_limit: 30, max_result_limit: 10 };
    }));
    assert.deepEqual(problems, [
      'query_frontend.search.target_bytes_per_job: must be greater than 0',
      'query_frontend.search.query_timeout: must be greater than 0',
      'query_frontend.search.default_result_limit: must not exceed max_result_limit',
    ]);
  });

  it('reports each bad ingester address and a zero ingester_timeout under querier', () => {
    const problems = tracelakeConfigProblems(configWith((c) => {
      c.querier.ingester_addresses = ['ok:3200', 'no-port', ':3200', 'http://x:1'];
      c.querier.ingester_timeout = 0;
    }));
    assert.deepEqual(problems, [
      'querier.ingester_timeout: must be greater than 0',
      'querier.ingester_addresses: entry 1: endpoint "no-port" has no port (write host:port)',
      'querier.ingester_addresses: entry 2: ":3200" has no host (write host:port)',
      'querier.ingester_addresses: entry 3: "http://x:1" must be host:port without a scheme or path',
    ]);
  });

  it('refuses unknown keys and non-string addresses in the querier section', () => {
    const config = { ...tracelakeExporterFactory.createDefaultConfig(), querier: { ingester_addresses: [3200], extra: 1 } };
    assert.deepEqual(errorsOf(config).sort(), [
      '/querier must NOT have additional properties',
      '/querier/ingester_addresses/0 must be string',
    ]);
  });
});
