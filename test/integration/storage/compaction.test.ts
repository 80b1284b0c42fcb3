import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createOtlpExporter, exportSpans, recordSimpleTrace, traceIdOf } from '../sdk-spans.ts';
import { fetchSpans, waitFor } from '../tempo-client.ts';
import { fromReadableSpan, sortSpans } from '../trace-model.ts';
import { freePorts, TracelakeProcess } from '../tracelake-process.ts';
import { BucketSampler } from './bucket-sampler.ts';
import { BucketView, describeSnapshot } from './bucket-view.ts';
import { metricSum } from './metrics-text.ts';
import { S3_SECRET_ENV, storageConfig } from './storage-config.ts';
import { storageRun } from './storage-run.ts';

const TENANT = 'single-tenant';
const ROUNDS = 8;
const NEW_TRACES_PER_ROUND = 8;
/** Traces begun in round 0 that get more spans in these later rounds, so their spans sit in several blocks. */
const SPLIT_TRACES = 4;
const SPLIT_ROUNDS = [2, 4, 6];

const ids = (xs: Iterable<{ blockID: string }>) => [...xs].map((m) => m.blockID).sort();

for (const kind of ['local', 's3'] as const) {
  describe(`compaction in the tracelake CLI (storage.trace.backend: ${kind})`, function () {
    this.timeout(120_000);
    const run = storageRun(kind, 'it-compaction');

    it('merges ≥ 6 flushed blocks into fewer, keeps every trace whole, indexes exactly the live blocks, also after a restart', async function () {
      const { dir, backend, procs } = run;
      const ports = await freePorts();
      const config = storageConfig({
        ports, dir, backend,
        ingester: { trace_idle_period: '200ms', max_block_duration: '1s', max_block_bytes: '4KiB' },
        compaction: {
          compaction_cycle: '1s', compaction_window: '1h',
          // orphan_grace_period: its 1m floor. compacted_block_retention: the config takes 0, but TraceDb reads
          // compacted blocks for 2 × blocklist_poll (2s) and a lookup fails when one is already deleted, so
          // the smallest that works is above that (at 1s, lookups answer PARTIAL with an empty trace).
          orphan_grace_period: '1m', compacted_block_retention: '3s',
        },
        blocklistPoll: '1s',
      });
      const first = await TracelakeProcess.startWithConfig({ config, dir, ports, env: S3_SECRET_ENV });
      procs.push(first);
      const view = run.openView(first.blocksDir);
      const sampler = new BucketSampler(view, TENANT);

      const expected = new Map<string, ReadableSpan[]>();
      const exporter = createOtlpExporter('http/protobuf', first);
      const splitIds: string[] = [];
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const batch: ReadableSpan[][] = [];
          for (let i = 0; i < NEW_TRACES_PER_ROUND; i++) batch.push(recordSimpleTrace({ spans: 3 + (i % 3), name: `r${round}-t${i}` }));
          if (round === 0) splitIds.push(...batch.slice(0, SPLIT_TRACES).map(traceIdOf));
          if (SPLIT_ROUNDS.includes(round)) {
            for (const traceId of splitIds) batch.push(recordSimpleTrace({ spans: 2, name: `r${round}-more`, traceId }));
          }
          for (const spans of batch) {
            await exportSpans(exporter, spans);
            const id = traceIdOf(spans);
            expected.set(id, [...(expected.get(id) ?? []), ...spans]);
          }
          // Past trace_idle_period and max_block_duration: this round's traces go into blocks of their own.
          await sleep(1500);
        }
      } finally {
        await exporter.shutdown();
      }

      await waitFor('the ingester to hold no live traces', async () =>
        (await metricSum(first.apiUrl.bind(first), 'tracelake_ingester_live_traces')) === 0 ? true : undefined, 20_000);
      const flushed = await metricSum(first.apiUrl.bind(first), 'tracelake_ingester_blocks_flushed_total');
      assert.ok(flushed >= 6, `only ${flushed} blocks flushed`);

      await waitUntil(`fewer live blocks than the peak`, async () => {
        const s = await sampler.sample();
        return s.live.length < sampler.peakLive && s.live.length < flushed;
      }, () => `peak ${sampler.peakLive}, flushed ${flushed}; bucket:\n${describeSnapshot(sampler.last!)}`);
      await waitForIndexOfLiveBlocks(view, sampler);
      await sampler.stop();
      assert.deepEqual(sampler.violations, []);
      assert.ok(sampler.markedSeen.size > 0, 'no meta.compacted.json was ever seen in the bucket');
      assert.ok(sampler.everLive.size >= 6, `only ${sampler.everLive.size} blocks were ever live`);

      await checkTraces(first, expected);
      assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null });

      const second = await first.restart();
      procs.push(second);
      assert.equal(await metricSum(second.apiUrl.bind(second), 'tracelake_ingester_live_traces'), 0, 'the restart replayed traces into the ingester');
      const again = new BucketSampler(view, TENANT);
      await waitForIndexOfLiveBlocks(view, again);
      await again.stop();
      assert.deepEqual(again.violations, []);
      await checkTraces(second, expected);
    });
  });
}

/** Polls `ok` for up to 30 s; on time-out fails with `describe()`. */
async function waitUntil(what: string, ok: () => Promise<boolean>, describe: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ${describe()}`);
    await sleep(200);
  }
}

/**
 * Waits until index.json.gz lists exactly the blocks with a meta.json (the index is written once per poll, so
 * it may lag a compaction by one), with the listing unchanged around the index read; its compacted entries
 * must be blocks marked compacted (or already deleted, never live).
 */
async function waitForIndexOfLiveBlocks(view: BucketView, sampler: BucketSampler): Promise<void> {
  let detail = '';
  await waitUntil('index.json.gz to list exactly the live blocks', async () => {
    const before = await sampler.sample();
    const index = await view.index(TENANT);
    const after = await sampler.sample();
    if (index === undefined) {
      detail = `no ${TENANT}/index.json.gz; bucket:\n${describeSnapshot(after)}`;
      return false;
    }
    detail = `index meta ${ids(index.meta).join(',')}; bucket:\n${describeSnapshot(after)}`;
    if (before.live.join() !== after.live.join() || ids(index.meta).join() !== after.live.join()) return false;
    assert.ok(after.loose.includes('index.json.gz'));
    assert.ok(index.meta.every((m) => m.tenantID === TENANT));
    for (const id of ids(index.compacted)) {
      assert.ok(!after.live.includes(id), `index lists ${id} as compacted while it has a meta.json:\n${describeSnapshot(after)}`);
      const names = after.folders.get(id);
      assert.ok(names === undefined || names.includes('meta.compacted.json'), `compacted ${id} without meta.compacted.json: ${names}`);
    }
    return true;
  }, () => detail);
}

async function checkTraces(proc: TracelakeProcess, expected: ReadonlyMap<string, ReadableSpan[]>): Promise<void> {
  for (const [id, spans] of expected) {
    assert.deepStrictEqual(await fetchSpans(proc, id, 'v2', 'protobuf'), sortSpans(spans.map(fromReadableSpan)), `trace ${id}`);
  }
}
