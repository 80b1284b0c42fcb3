import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDocument, type Document } from 'yaml';
import { removeS3Prefix, requireS3Server, uniqueS3Prefix } from '../../backend/storage/s3-test-server.ts';
import { BucketView } from '../storage/bucket-view.ts';
import { S3_SECRET_ENV, storageConfig, type Backend } from '../storage/storage-config.ts';
import { freePorts, makeTempDir, removeDir, TracelakeProcess } from '../tracelake-process.ts';
import { QUERY_FORMS } from './query-forms.ts';
import {
  answeredResults, assertNewestFirst, assertSameResults, referenceResults, sendSpans, SPSS_ALL, type CanonicalResults, type SearchBody,
} from './reference-check.ts';
import { generateRichCorpus } from './rich-corpus.ts';
import { searchJson } from './search-json.ts';

const TENANT = 'single-tenant';
// Long enough that nothing is flushed while the live checks run: the live phase asks the ingester only.
const INGESTER = { trace_idle_period: '10m', max_block_duration: '30m' } as const;

describe('GET /api/search over S3: every TraceQL form against the reference, live and from blocks', function () {
  this.timeout(300_000);
  const nowMs = Date.now();
  const nowS = Math.floor(nowMs / 1000);
  const corpus = generateRichCorpus({ traces: 300, seed: 5, nowMs, oldEvery: 10 });
  const spans = corpus.flat();
  const range = { start: String(nowS - 4 * 3600), end: String(nowS + 600) };
  const expected = new Map<string, CanonicalResults>();
  const reference = (q: string): CanonicalResults => {
    let r = expected.get(q);
    if (r === undefined) expected.set(q, (r = referenceResults(q, spans)));
    return r;
  };
  let dir = '';
  let backend: Backend = { kind: 'local' };
  let proc: TracelakeProcess | undefined;
  let frontend: TracelakeProcess | undefined;

  before(async function () {
    await requireS3Server();
    backend = { kind: 's3', prefix: uniqueS3Prefix('search-s3') };
    dir = await makeTempDir('tracelake-search-s3-');
    const ports = await freePorts();
    proc = await TracelakeProcess.startWithConfig({ config: storageConfig({ ports, dir, backend, ingester: INGESTER }), dir, ports, env: S3_SECRET_ENV });
    for (let i = 0; i < corpus.length; i += 25) await sendSpans(proc.otlpHttpUrl, corpus.slice(i, i + 25).flat());
  });

  after(async function () {
    await proc?.stop('SIGKILL');
    if (backend.kind === 's3') await removeS3Prefix(backend.prefix);
    if (dir !== '') await removeDir(dir);
  });

  it('has a corpus on which every query form can fail: some traces match, and not all unless marked', function () {
    for (const form of QUERY_FORMS) {
      const n = Object.keys(reference(form.q)).length;
      assert.ok(n > 0, `${form.name} matches nothing`);
      assert.equal(n === corpus.length, form.all === true, `${form.name} matches ${n} of ${corpus.length}`);
    }
  });

  function checkForms(phase: string, server: () => TracelakeProcess = () => proc!): void {
    for (const form of QUERY_FORMS) {
      it(`answers exactly the reference's traces and span sets for ${form.name} (${phase})`, async function () {
        const body = await searchJson<SearchBody>(server(), { q: form.q, ...range, limit: '1000', spss: String(SPSS_ALL) });
        assertSameResults(answeredResults(body), reference(form.q), form.q);
        assertNewestFirst(body);
      });
    }
  }

  describe('while the traces are live in the ingester', function () {
    it('has written no block to the bucket yet', async function () {
      const view = new BucketView(backend, '');
      try {
        assert.deepEqual([...(await view.tenant(TENANT)).folders.keys()], []);
      } finally {
        view.close();
      }
    });

    checkForms('live');
  });

  describe('from blocks in S3, after a restart', function () {
    before(async function () {
      assert.deepEqual(await proc!.stop('SIGTERM'), { code: 0, signal: null });
      proc = await proc!.restart();
    });

    it('holds every span in blocks in the bucket, nothing on local disk, nothing in the WAL', async function () {
      const view = new BucketView(backend, '');
      try {
        const snapshot = await view.tenant(TENANT);
        assert.ok(snapshot.live.length > 0, 'no block in the bucket');
        let stored = 0;
        for (const id of snapshot.live) {
          stored += (JSON.parse(new TextDecoder().decode(await view.store.get(`${TENANT}/${id}/meta.json`))) as { totalSpans: number }).totalSpans;
        }
        assert.equal(stored, spans.length);
      } finally {
        view.close();
      }
      assert.deepEqual((await readdir(dir)).sort(), ['pipelines.yaml', 'wal']);
      assert.match(proc!.output, /"spans":0[^\n]*"msg":"wal replayed"|"msg":"wal replayed"[^\n]*"spans":0/);
    });

    checkForms('blocks');
  });

  describe('from blocks in S3, through a query-frontend and a querier of their own', function () {
    const roles: TracelakeProcess[] = [];

    before(async function () {
      const start = async (name: string, targets: string, patch: (doc: Document) => void = () => undefined): Promise<TracelakeProcess> => {
        const ports = await freePorts();
        const doc = parseDocument(storageConfig({ ports, dir: path.join(dir, name), backend, ingester: INGESTER }));
        patch(doc);
        const role = await TracelakeProcess.startWithConfig({ config: doc.toString(), dir: path.join(dir, name), ports, env: S3_SECRET_ENV, targets });
        roles.push(role);
        return role;
      };
      const querier = await start('querier', 'querier');
      frontend = await start('frontend', 'query-frontend', (doc) => {
        doc.setIn(['exporters', 'tracelake', 'query_frontend', 'querier_addresses'], doc.createNode([`127.0.0.1:${querier.ports.api}`]));
      });
      // The querier lists the bucket on its first poll; until then it knows no block.
      for (let i = 0; ; i++) {
        const all = await searchJson<SearchBody>(frontend, { q: '{}', ...range, limit: '1000' });
        if ((all.traces ?? []).length === corpus.length) break;
        assert.ok(i < 100, `the query-frontend found ${(all.traces ?? []).length} of ${corpus.length} traces after 10 s`);
        await sleep(100);
      }
    });

    after(async function () {
      for (const r of roles) await r.stop('SIGKILL');
      frontend = undefined;
    });

    checkForms('query-frontend', () => frontend!);
  });
});
