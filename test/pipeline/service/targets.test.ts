import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { ExporterFactory, Factory } from '../../../pipeline/component.ts';
import { parseConfig } from '../../../pipeline/config/load-config.ts';
import { createService } from '../../../pipeline/service/service.ts';
import { consumesKafka, runsPipelines } from '../../../pipeline/service/targets.ts';
import { fakeFactories, fakeStoreFactory, newJournal, type Journal } from './fake-factories.ts';

const BUILD = { version: '0.0.0-test', revision: 'test', goVersion: process.version };

const CONFIG = `
receivers:
  fakerx:
processors:
  fakeproc/1:
exporters:
  fakestore:
  tracelake:
service:
  pipelines:
    traces:
      receivers: [fakerx]
      processors: [fakeproc/1]
      exporters: [fakestore, tracelake]
`;

/** The fake factories plus a fake exporter of the backend type `tracelake` that records the targets it was given. */
function factoriesWithBackend(journal: Journal, seen: (readonly string[] | undefined)[]): Factory[] {
  const store = fakeStoreFactory(journal);
  const backend: ExporterFactory = {
    ...(store as ExporterFactory),
    type: 'tracelake',
    createTraces(settings, config) {
      seen.push(settings.targets);
      return store.createTraces(settings, config as never);
    },
  };
  return [...fakeFactories(journal), backend];
}

function run(yaml: string, targets?: readonly string[]) {
  const journal = newJournal();
  const seen: (readonly string[] | undefined)[] = [];
  const factories = factoriesWithBackend(journal, seen);
  const config = parseConfig(yaml, 'test.yaml', { env: {}, factories });
  const options = { factories, logger: pino({ level: 'silent' }), metrics: new Registry(), build: BUILD };
  const service = createService(config, targets === undefined ? options : { ...options, targets });
  return { journal, seen, service };
}

describe('runsPipelines', () => {
  it('is true when a target takes data in (all, distributor, ingester) or none is given', () => {
    assert.equal(runsPipelines(undefined), true);
    assert.equal(runsPipelines(['all']), true);
    assert.equal(runsPipelines(['querier', 'distributor']), true);
    assert.equal(runsPipelines(['ingester']), true);
  });

  it('is false for an ingester that consumes Kafka itself, true still for all and distributor', () => {
    assert.equal(runsPipelines(['ingester'], true), false);
    assert.equal(runsPipelines(['ingester', 'querier'], true), false);
    assert.equal(runsPipelines(['all'], true), true);
    assert.equal(runsPipelines(['distributor', 'ingester'], true), true);
    assert.equal(runsPipelines(undefined, true), true);
  });

  it('sees Kafka ingest in a backend exporter config only when ingest.enabled is true', () => {
    assert.equal(consumesKafka({ ingest: { enabled: true } }), true);
    assert.equal(consumesKafka({ ingest: { enabled: false } }), false);
    assert.equal(consumesKafka({}), false);
    assert.equal(consumesKafka(undefined), false);
  });

  it('is false for querier, query-frontend and compactor alone or together', () => {
    assert.equal(runsPipelines(['querier']), false);
    assert.equal(runsPipelines(['querier', 'query-frontend', 'compactor']), false);
  });
});

describe('createService with targets', () => {
  it('starts only the tracelake exporter, no receivers or processors, when no target takes data in', async () => {
    const { journal, seen, service } = run(CONFIG, ['querier', 'query-frontend']);
    await service.start();
    await service.shutdown();
    assert.deepEqual(journal.events, ['start exporter tracelake', 'shutdown exporter tracelake']);
    assert.equal(journal.receivers.size, 0);
    assert.deepEqual(seen, [['querier', 'query-frontend']]);
  });

  it('runs the whole pipeline and hands the targets to components when a target takes data in', async () => {
    const { journal, seen, service } = run(CONFIG, ['ingester']);
    await service.start();
    await service.shutdown();
    assert.deepEqual(journal.events.filter((e) => e.startsWith('start')), [
      'start exporter fakestore', 'start exporter tracelake', 'start processor fakeproc/1@traces', 'start receiver fakerx',
    ]);
    assert.deepEqual(seen, [['ingester']]);
  });

  it('gives components no targets when none are given (all)', () => {
    const { seen } = run(CONFIG);
    assert.deepEqual(seen, [undefined]);
  });

  it('refuses a storage-only target when no pipeline has a tracelake exporter', () => {
    const yaml = CONFIG.replace('exporters: [fakestore, tracelake]', 'exporters: [fakestore]');
    assert.throws(() => run(yaml, ['compactor']), /target compactor needs a 'tracelake' exporter in a pipeline/);
  });
});
