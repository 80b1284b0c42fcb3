import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { QueryTimeoutError } from '../../../backend/search/query-timeout-error.ts';
import type { BlockRef, SearchJob } from '../../../backend/search/search-job.ts';
import type { SearchJobResult } from '../../../backend/search/search-job-runner.ts';
import type { SearchSettings } from '../../../backend/search/search-limits.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';
import { TraceSearch } from '../../../backend/search/trace-search.ts';
import type { TraceResultJson } from '../../../backend/search/trace-result.ts';
import { BadRequestError, RetryableError } from '../../../pipeline/errors.ts';

const logger = pino({ level: 'silent' });
const BASE_S = 1_700_000_000;
const SETTINGS: SearchSettings = {
  concurrentJobs: 2, targetBytesPerJob: 1, defaultResultLimit: 20, maxResultLimit: 0, maxDurationMs: 0, queryTimeoutMs: 10_000,
};

/** A block ending at BASE_S + `end` seconds whose job finds traces starting at BASE_S + each of `starts`. */
interface FakeBlock { readonly ref: BlockRef; readonly starts: readonly number[] }

function block(id: number, end: number, starts: readonly number[]): FakeBlock {
  const blockID = `00000000-0000-0000-0000-${String(id).padStart(12, '0')}`;
  return { ref: { blockID, endTime: new Date((BASE_S + end) * 1000).toISOString(), size: 10 }, starts };
}

function result(id: string, startS: number, matched = 1): TraceResultJson {
  const spans = [{ spanID: '0000000000000001', startTimeUnixNano: String(BigInt(BASE_S + startS) * 1_000_000_000n), durationNanos: '1' }];
  return { traceID: id, startTimeUnixNano: String(BigInt(BASE_S + startS) * 1_000_000_000n), spanSet: { spans, matched }, spanSets: [{ spans, matched }] };
}

/** Runs fake jobs, recording which ran, which were aborted, and how many ran at once. */
class FakeJobs {
  readonly live: boolean;
  readonly ran: string[] = [];
  readonly aborted: string[] = [];
  inFlight = 0;
  peak = 0;
  readonly #blocks: readonly FakeBlock[];
  readonly #liveTraces: readonly TraceResultJson[];
  readonly #delayMs: number;
  readonly #fail: string | undefined;
  /** Blocks the list gains after the first plan (flushed while the search runs). */
  readonly #later: readonly FakeBlock[];
  plans = 0;

  constructor(o: { blocks: FakeBlock[]; live?: TraceResultJson[]; delayMs?: number; fail?: string; later?: FakeBlock[] }) {
    this.#blocks = o.blocks;
    this.#later = o.later ?? [];
    this.live = o.live !== undefined;
    this.#liveTraces = o.live ?? [];
    this.#delayMs = o.delayMs ?? 5;
    this.#fail = o.fail;
  }

  async blocks(): Promise<readonly BlockRef[]> {
    return [...this.#blocks, ...(this.plans++ > 0 ? this.#later : [])].map((b) => b.ref);
  }

  async run(_tenant: string, job: SearchJob<BlockRef>, _request: unknown, signal: AbortSignal): Promise<SearchJobResult> {
    const name = job.kind === 'live' ? 'live' : job.blocks.map((b) => b.blockID.slice(-2)).join('+');
    this.ran.push(name);
    this.peak = Math.max(this.peak, ++this.inFlight);
    try {
      await sleep(this.#delayMs, undefined, { signal });
    } catch (err) {
      this.aborted.push(name);
      throw err;
    } finally {
      this.inFlight--;
    }
    if (name === this.#fail) throw new RetryableError(`job ${name} failed`);
    if (job.kind === 'live') return { traces: this.#liveTraces, inspectedTraces: this.#liveTraces.length, inspectedBytes: 100 };
    const traces = job.blocks.flatMap((b) => [...this.#blocks, ...this.#later].find((f) => f.ref.blockID === b.blockID)!.starts.map((s) => result(`t${s}`, s)));
    return { traces, inspectedTraces: traces.length, inspectedBytes: 10 };
  }
}

const search = (jobs: FakeJobs, query: string, settings: Partial<SearchSettings> = {}) =>
  new TraceSearch({ planner: jobs, runner: jobs, settings: { ...SETTINGS, ...settings }, logger })
    .search('single-tenant', parseSearchRequest(new URLSearchParams(query)));

describe('TraceSearch', function () {
  it('runs the live job, then the blocks newest first, and answers the newest traces with job metrics', async function () {
    const jobs = new FakeJobs({ blocks: [block(1, 100, [90]), block(2, 300, [250]), block(3, 200, [150])], live: [result('live', 400)], delayMs: 1 });
    const res = await search(jobs, 'q=%7B%7D', { concurrentJobs: 1 });
    assert.deepEqual(jobs.ran, ['live', '02', '03', '01']);
    assert.deepEqual(res.traces!.map((t) => t.traceID), ['live', 't250', 't150', 't90']);
    assert.deepEqual(res.metrics, { inspectedTraces: 4, inspectedBytes: '130', completedJobs: 4, totalJobs: 4 });
  });

  it('stops once limit traces are newer than every unfinished job, aborting those running and skipping the rest', async function () {
    const blocks = [block(1, 500, [480, 470]), block(2, 400, [390]), block(3, 300, [290]), block(4, 200, [190]), block(5, 100, [90])];
    const jobs = new FakeJobs({ blocks, delayMs: 20 });
    const res = await search(jobs, 'q=%7B%7D&limit=2', { concurrentJobs: 2 });
    assert.deepEqual(res.traces!.map((t) => t.traceID), ['t480', 't470']);
    assert.deepEqual(jobs.ran, ['01', '02'], 'no job started after the answer was settled');
    assert.deepEqual(jobs.aborted, ['02']);
    assert.deepEqual([res.metrics.completedJobs, res.metrics.totalJobs], [1, 5]);
  });

  it('waits for an older job that may still hold a newer trace when asked for the most recent', async function () {
    // Block 2 ends after block 1's traces start: it could hold something newer, so it must finish.
    const jobs = new FakeJobs({ blocks: [block(1, 500, [300]), block(2, 490, [495 - 10])], delayMs: 5 });
    const res = await search(jobs, 'q=%7B%7D%20with%20(most_recent%3Dtrue)&limit=1', { concurrentJobs: 1 });
    assert.deepEqual(jobs.ran, ['01', '02']);
    assert.deepEqual(res.traces!.map((t) => t.traceID), ['t485']);
  });

  it('answers the first limit traces found, as Tempo does by default', async function () {
    const jobs = new FakeJobs({ blocks: [block(1, 500, [300]), block(2, 490, [495 - 10])], delayMs: 5 });
    const res = await search(jobs, 'q=%7B%7D&limit=1', { concurrentJobs: 1 });
    assert.deepEqual(jobs.ran, ['01']);
    assert.deepEqual(res.traces!.map((t) => t.traceID), ['t300']);
  });

  it('searches the blocks flushed while it ran, unless the answer is already settled', async function () {
    const jobs = new FakeJobs({ blocks: [block(1, 100, [90])], live: [result('live', 400)], later: [block(2, 350, [300])], delayMs: 1 });
    const res = await search(jobs, 'q=%7B%7D');
    assert.deepEqual(jobs.ran, ['live', '01', '02']);
    assert.deepEqual(res.traces!.map((t) => t.traceID), ['live', 't300', 't90']);
    assert.deepEqual([res.metrics.completedJobs, res.metrics.totalJobs], [3, 3]);
    const settled = new FakeJobs({ blocks: [block(1, 500, [480, 470])], later: [block(2, 400, [390])], delayMs: 1 });
    await search(settled, 'q=%7B%7D&limit=2');
    assert.deepEqual(settled.ran, ['01']);
  });

  it('keeps at most concurrentJobs jobs in flight', async function () {
    const jobs = new FakeJobs({ blocks: Array.from({ length: 8 }, (_, i) => block(i, 100 + i, [])), delayMs: 5 });
    await search(jobs, 'q=%7B%7D', { concurrentJobs: 3 });
    assert.equal(jobs.peak, 3);
    assert.equal(jobs.ran.length, 8);
  });

  it('fails the search when a job fails, and stops the others', async function () {
    const jobs = new FakeJobs({ blocks: [block(1, 300, []), block(2, 200, []), block(3, 100, [])], delayMs: 5, fail: '01' });
    await assert.rejects(search(jobs, 'q=%7B%7D', { concurrentJobs: 1 }), /job 01 failed/);
    assert.deepEqual(jobs.ran, ['01']);
  });

  it('answers a QueryTimeoutError past the query timeout', async function () {
    const jobs = new FakeJobs({ blocks: [block(1, 300, [])], delayMs: 5_000 });
    await assert.rejects(search(jobs, 'q=%7B%7D', { queryTimeoutMs: 30 }), (err: unknown) =>
      err instanceof QueryTimeoutError && err.message === 'context deadline exceeded');
  });

  it('refuses a limit over max_result_limit and a range over max_duration with Tempo\'s wording', async function () {
    const jobs = new FakeJobs({ blocks: [] });
    await assert.rejects(search(jobs, 'q=%7B%7D&limit=101', { maxResultLimit: 100 }),
      (err: unknown) => err instanceof BadRequestError && err.message === 'limit 101 exceeds max limit 100');
    await assert.rejects(search(jobs, `q=%7B%7D&start=${BASE_S}&end=${BASE_S + 7200}`, { maxDurationMs: 3_600_000 }),
      (err: unknown) => err instanceof BadRequestError &&
        err.message === `range specified by start and end exceeds 1h0m0s. received start=${BASE_S} end=${BASE_S + 7200}`);
    assert.deepEqual(jobs.ran, []);
    const ok = await search(jobs, `q=%7B%7D&limit=100&start=${BASE_S}&end=${BASE_S + 3600}`, { maxResultLimit: 100, maxDurationMs: 3_600_000 });
    assert.deepEqual(ok.metrics, {});
  });
});
