import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { writeBlock } from '../../../backend/block/write-block.ts';
import { BlockList } from '../../../backend/db/block-list.ts';
import { QuerierSearchJobs } from '../../../backend/querier/querier-search-jobs.ts';
import type { SearchJob } from '../../../backend/search/search-job.ts';
import type { SearchJobRunner } from '../../../backend/search/search-job-runner.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { RetryableError } from '../../../pipeline/errors.ts';
import { encodeTrace } from '../../support/otlp-traces.ts';

const logger = pino({ level: 'silent' });
const id = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;

describe('QuerierSearchJobs', function () {
  let dir: string;
  let store: LocalObjectStore;
  let list: BlockList;
  const ran: SearchJob<BlockMeta>[] = [];
  const runner: SearchJobRunner<BlockMeta> = {
    async run(_tenant, job) {
      ran.push(job);
      return { traces: [], inspectedTraces: 0, inspectedBytes: 0 };
    },
  };

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'tracelake-querier-search-'));
    store = new LocalObjectStore(dir);
    list = new BlockList();
    for (const n of [1, 2]) {
      const hex = n.toString(16).padStart(32, '0');
      const trace = encodeTrace([{ service: 'api', scopes: [{ name: 'lib', spans: [{ traceId: hex, spanId: hex.slice(16), name: 'op' }] }] }]);
      const meta = await writeBlock(store, {
        tenantID: 't', blockID: id(n), bloomFalsePositive: 0.01,
        entries: [{ traceId: Buffer.from(hex, 'hex'), trace, startUnixNano: 1e18, endUnixNano: 1e18 + 1, spanCount: 1 }],
      });
      if (n === 1) list.add(meta); // block 2 is in storage but not listed yet
    }
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  const request = parseSearchRequest(new URLSearchParams({ q: '{}' }));
  const signal = new AbortController().signal;

  it('plans over its block list and tells the block refs', async function () {
    const jobs = new QuerierSearchJobs({ live: true, blocks: { list, store }, runner, logger });
    assert.deepEqual((await jobs.blocks('t', undefined)).map((m) => m.blockID), [id(1)]);
    const [ref] = await jobs.searchBlockRefs('t', undefined);
    assert.deepEqual(Object.keys(ref!).sort(), ['blockID', 'compactionLevel', 'endTime', 'size']);
  });

  it('runs a job of blocks named by ID: listed, read from meta.json when not listed yet, skipped when gone', async function () {
    const jobs = new QuerierSearchJobs({ live: true, blocks: { list, store }, runner, logger });
    await jobs.runSearchJob('t', { kind: 'blocks', blockIDs: [id(1), id(2), id(3)] }, request, signal);
    const job = ran.at(-1)!;
    assert.equal(job.kind, 'blocks');
    assert.deepEqual(job.kind === 'blocks' ? job.blocks.map((b) => b.blockID) : [], [id(1), id(2)]);
    await jobs.runSearchJob('t', { kind: 'live' }, request, signal);
    assert.equal(ran.at(-1)!.kind, 'live');
  });

  it('plans no blocks and refuses block jobs (retryable) when it reads no blocks', async function () {
    const jobs = new QuerierSearchJobs({ live: true, runner, logger });
    assert.deepEqual(await jobs.blocks('t', undefined), []);
    await assert.rejects(jobs.runSearchJob('t', { kind: 'blocks', blockIDs: [id(1)] }, request, signal), RetryableError);
  });
});
