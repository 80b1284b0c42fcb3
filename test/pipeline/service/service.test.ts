import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../../pipeline/config/load-config.ts';
import { TracelakeError } from '../../../pipeline/errors.ts';
import { createService, type Service } from '../../../pipeline/service/service.ts';
import { makeBatch } from '../../../pipeline/trace-batch.ts';
import { fakeFactories, newJournal, type Journal } from './fake-factories.ts';

const BUILD = { version: '0.0.0-test', revision: 'test', goVersion: process.version };

const TWO_PIPELINES = `
receivers:
  fakerx:
  fakerx/2:
processors:
  fakeproc/1:
  fakeproc/2:
exporters:
  fakestore:
  fakestore/2:
  fakestore/unused:
service:
  pipelines:
    traces/a:
      receivers: [fakerx]
      processors: [fakeproc/1, fakeproc/2]
      exporters: [fakestore, fakestore/2]
    traces/b:
      receivers: [fakerx, fakerx/2]
      processors: [fakeproc/1]
      exporters: [fakestore]
`;

function setup(yaml: string, logger: Logger = pino({ level: 'silent' })): { journal: Journal; service: Service } {
  const journal = newJournal();
  const factories = fakeFactories(journal);
  const config = parseConfig(yaml, 'test.yaml', { env: {}, factories });
  return { journal, service: createService(config, { factories, logger, metrics: new Registry(), build: BUILD }) };
}

describe('createService', () => {
  it('starts exporters, then processors downstream-first, then receivers', async () => {
    const { journal, service } = setup(TWO_PIPELINES);
    await service.start();
    assert.deepEqual(journal.events, [
      'start exporter fakestore',
      'start exporter fakestore/2',
      'start processor fakeproc/2@traces/a',
      'start processor fakeproc/1@traces/a',
      'start processor fakeproc/1@traces/b',
      'start receiver fakerx',
      'start receiver fakerx/2',
    ]);
    await service.shutdown();
  });

  it('shuts down upstream-first, exactly once however often it is asked', async () => {
    const { journal, service } = setup(TWO_PIPELINES);
    await service.start();
    journal.events.length = 0;
    await Promise.all([service.shutdown(), service.shutdown()]);
    await service.shutdown();
    assert.deepEqual(journal.events, [
      'shutdown receiver fakerx/2',
      'shutdown receiver fakerx',
      'shutdown processor fakeproc/1@traces/b',
      'shutdown processor fakeproc/1@traces/a',
      'shutdown processor fakeproc/2@traces/a',
      'shutdown exporter fakestore/2',
      'shutdown exporter fakestore',
    ]);
  });

  it('tells watching extensions once every component has started, and before any is stopped', async () => {
    const { journal, service } = setup(`
extensions:
  fakewatch:
receivers:
  fakerx:
exporters:
  fakestore:
service:
  extensions: [fakewatch]
  pipelines:
    traces:
      receivers: [fakerx]
      exporters: [fakestore]
`);
    await service.start();
    await service.shutdown();
    assert.deepEqual(journal.events, [
      'start extension fakewatch', 'start exporter fakestore', 'start receiver fakerx', 'service ready',
      'service stopping', 'shutdown receiver fakerx', 'shutdown exporter fakestore', 'shutdown extension fakewatch',
    ]);
  });

  it('creates only the components a pipeline uses, one receiver and exporter instance per id', async () => {
    const { journal, service } = setup(TWO_PIPELINES);
    assert.deepEqual([...journal.receivers.keys()], ['fakerx', 'fakerx/2']);
    assert.deepEqual([...journal.exported.keys()], ['fakestore', 'fakestore/2']);
    await service.shutdown();
  });

  it('fans a shared receiver out to each of its pipelines, and a pipeline out to each exporter', async () => {
    const { journal, service } = setup(TWO_PIPELINES);
    await service.start();
    const batch = makeBatch([]);
    await journal.receivers.get('fakerx')!.consumeTraces(batch, { tenant: 'acme' });
    assert.equal(journal.exported.get('fakestore')!.length, 2);
    assert.deepEqual(journal.exported.get('fakestore/2'), [{ batch, tenant: 'acme' }]);
    assert.ok(journal.exported.get('fakestore')!.every((e) => e.batch === batch && e.tenant === 'acme'));
    await journal.receivers.get('fakerx/2')!.consumeTraces(batch, {});
    assert.equal(journal.exported.get('fakestore')!.length, 3);
    assert.equal(journal.exported.get('fakestore/2')!.length, 1);
    await service.shutdown();
  });

  it('passes a rejection from any exporter back to the receiver', async () => {
    const { journal, service } = setup(TWO_PIPELINES.replace('  fakestore/2:\n', '  fakestore/2: { reject: true }\n'));
    await service.start();
    await assert.rejects(journal.receivers.get('fakerx')!.consumeTraces(makeBatch([]), {}), /fakestore\/2 rejects/);
    assert.equal(journal.exported.get('fakestore')!.length, 2, 'the other exporter still got the batch');
    await service.shutdown();
  });

  it('stops what it started, and rejects naming the component, when a start fails', async () => {
    const { journal, service } = setup(TWO_PIPELINES.replace('  fakestore/2:\n', '  fakestore/2: { fail_start: true }\n'));
    await assert.rejects(service.start(), (err: unknown) => {
      assert.ok(err instanceof TracelakeError);
      assert.equal(err.message, "exporter 'fakestore/2' failed to start");
      assert.match(String((err.cause as Error).message), /refuses to start/);
      return true;
    });
    assert.deepEqual(journal.events, ['start exporter fakestore', 'shutdown exporter fakestore']);
    await service.shutdown();
    assert.equal(journal.events.length, 2, 'nothing left to shut down');
  });

  it('stops every component even when some fail, then rejects naming each of them', async () => {
    const yaml = TWO_PIPELINES.replace('  fakerx:\n', '  fakerx: { fail_shutdown: true }\n')
      .replace('  fakestore/2:\n', '  fakestore/2: { fail_shutdown: true }\n');
    const { journal, service } = setup(yaml);
    await service.start();
    await assert.rejects(service.shutdown(), /^TracelakeError: shutdown failed for receiver 'fakerx', exporter 'fakestore\/2'$/);
    assert.equal(journal.events.filter((e) => e.startsWith('shutdown')).length, 7);
  });

  it('refuses to start once shut down', async () => {
    const { journal, service } = setup(TWO_PIPELINES);
    await service.shutdown();
    await assert.rejects(service.start(), /shut down/);
    assert.deepEqual(journal.events, []);
  });

  it('gives each component a child logger and logs one line per lifecycle event', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const { service } = setup(TWO_PIPELINES, pino({ level: 'info' }, sink));
    await service.start();
    await service.shutdown();
    const started = lines.filter((l) => l.msg === 'component started').map((l) => [l.kind, l.id, l.pipeline]);
    assert.deepEqual(started, [
      ['exporter', 'fakestore', undefined],
      ['exporter', 'fakestore/2', undefined],
      ['processor', 'fakeproc/2', 'traces/a'],
      ['processor', 'fakeproc/1', 'traces/a'],
      ['processor', 'fakeproc/1', 'traces/b'],
      ['receiver', 'fakerx', undefined],
      ['receiver', 'fakerx/2', undefined],
    ]);
    assert.equal(lines.filter((l) => l.msg === 'component stopped').length, 7);
    assert.deepEqual(lines.filter((l) => l.kind === 'service').map((l) => l.msg), ['service started', 'service stopping', 'service stopped']);
  });
});
