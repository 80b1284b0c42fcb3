import assert from 'node:assert/strict';
import { MODULES, planModules, TARGET_MODULES, type ModuleName } from '../../../exporters/tracelake/modules.ts';
import { ConfigError } from '../../../pipeline/errors.ts';
import { TARGETS } from '../../../pipeline/service/targets.ts';

describe('planModules', () => {
  it('starts every module for all, in dependency order', () => {
    assert.deepEqual(planModules(['all']), ['store', 'blocklist', 'ingester', 'compactor', 'block-reader', 'querier', 'api']);
  });

  it('starts storage, the ingester and an API over its live traces for ingester', () => {
    assert.deepEqual(planModules(['ingester']), ['store', 'blocklist', 'ingester', 'querier', 'api']);
  });

  it('starts a querier over blocks and the API for querier and for query-frontend, alone or together', () => {
    const blocksOnly = ['store', 'blocklist', 'block-reader', 'querier', 'api'];
    assert.deepEqual(planModules(['querier']), blocksOnly);
    assert.deepEqual(planModules(['query-frontend']), blocksOnly);
    assert.deepEqual(planModules(['querier', 'query-frontend']), blocksOnly);
  });

  it('starts storage, the compactor and the API (status routes) for compactor', () => {
    assert.deepEqual(planModules(['compactor']), ['store', 'blocklist', 'compactor', 'api']);
  });

  it('takes the union of combined targets, still in dependency order', () => {
    assert.deepEqual(planModules(['compactor', 'querier']), ['store', 'blocklist', 'compactor', 'block-reader', 'querier', 'api']);
    assert.deepEqual(planModules(['distributor', 'ingester']), planModules(['ingester']));
    assert.deepEqual(planModules(['ingester', 'querier', 'compactor']), planModules(['all']));
  });

  it('refuses a distributor without an ingester: its pipelines would feed the exporter with nowhere to go', () => {
    assert.throws(() => planModules(['distributor']), (err: unknown) =>
      err instanceof ConfigError && /target distributor runs no ingester/.test(err.message));
    assert.throws(() => planModules(['distributor', 'querier']), /target distributor,querier runs no ingester/);
  });

  it('runs the query-frontend apart from storage when it has queriers to send jobs to', () => {
    const s = { queryFrontend: { querierAddresses: ['q:3200'], queryShards: 8, maxConcurrentJobs: 16, querierTimeoutMs: 10_000 }, ingest: undefined };
    assert.deepEqual(planModules(['query-frontend'], s), ['query-frontend', 'api']);
    assert.deepEqual(planModules(['querier', 'query-frontend'], s), ['store', 'blocklist', 'block-reader', 'querier', 'query-frontend', 'api']);
  });

  it('refuses to feed an ingester that consumes Kafka from this process\'s pipelines', () => {
    const s = { queryFrontend: { querierAddresses: [], queryShards: 8, maxConcurrentJobs: 16, querierTimeoutMs: 10_000 },
      ingest: { brokers: ['k:9092'], topic: 't', groupId: 'g', clientId: 'c', encoding: 'otlp_proto' as const, fromBeginning: true,
        sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3000, maxWaitMs: 250 } };
    assert.deepEqual(planModules(['ingester'], s), ['store', 'blocklist', 'ingester', 'querier', 'api']);
    assert.throws(() => planModules(['all'], s), /ingest.enabled: the ingester consumes Kafka/);
    assert.throws(() => planModules(['distributor', 'ingester'], s), /target distributor,ingester runs the pipelines/);
  });

  it('refuses an unknown target', () => {
    assert.throws(() => planModules(['frontend']), /unknown target 'frontend'/);
  });
});

describe('MODULES', () => {
  it('names only known modules as dependencies, and every role target has an entry', () => {
    const names = Object.keys(MODULES);
    for (const def of Object.values(MODULES)) {
      for (const dep of [...def.deps, ...def.optional]) assert.ok(names.includes(dep), dep);
    }
    assert.deepEqual(Object.keys(TARGET_MODULES).sort(), [...TARGETS].sort());
  });

  it('puts every module after all it depends on, for every target', () => {
    for (const target of TARGETS.filter((t) => t !== 'distributor')) {
      const plan = planModules([target]);
      plan.forEach((name: ModuleName, i) => {
        for (const dep of [...MODULES[name].deps, ...MODULES[name].optional.filter((o) => plan.includes(o))]) {
          assert.ok(plan.indexOf(dep) < i, `${target}: ${dep} before ${name}`);
        }
      });
    }
  });
});
