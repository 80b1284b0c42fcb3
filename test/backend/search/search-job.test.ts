import assert from 'node:assert/strict';
import { planSearchJobs, type BlockRef } from '../../../backend/search/search-job.ts';

const BASE_MS = Date.UTC(2026, 0, 1);

function ref(id: number, endS: number, size: number): BlockRef {
  return { blockID: `00000000-0000-0000-0000-${String(id).padStart(12, '0')}`, endTime: new Date(BASE_MS + endS * 1000).toISOString(), size };
}

const names = (jobs: ReturnType<typeof planSearchJobs>) =>
  jobs.map((j) => (j.kind === 'live' ? 'live' : j.blocks.map((b) => Number(b.blockID.slice(-12))).join('+')));

describe('planSearchJobs', function () {
  it('puts the live job first, then groups blocks newest first up to the target size', function () {
    const blocks = [ref(1, 10, 40), ref(2, 50, 40), ref(3, 30, 40), ref(4, 40, 40), ref(5, 20, 40)];
    const jobs = planSearchJobs(blocks, { live: true, targetBytesPerJob: 80 });
    assert.deepEqual(names(jobs), ['live', '2+4', '3+5', '1']);
    assert.equal(jobs[0]!.endSeconds, Infinity);
    assert.equal(jobs[1]!.endSeconds, BASE_MS / 1000 + 50, 'a job ends with its newest block');
    assert.deepEqual(jobs.map((j) => (j.kind === 'blocks' ? j.bytes : 0)), [0, 80, 80, 40]);
  });

  it('gives a block larger than the target a job of its own, and plans no live job without live traces', function () {
    const jobs = planSearchJobs([ref(1, 30, 500), ref(2, 20, 10), ref(3, 10, 10)], { live: false, targetBytesPerJob: 100 });
    assert.deepEqual(names(jobs), ['1', '2+3']);
  });

  it('caps a job at 100 blocks, and plans nothing for no blocks and no live traces', function () {
    const many = Array.from({ length: 250 }, (_, i) => ref(i, i, 1));
    assert.deepEqual(planSearchJobs(many, { live: false, targetBytesPerJob: 1e12 }).map((j) => (j.kind === 'blocks' ? j.blocks.length : 0)), [100, 100, 50]);
    assert.deepEqual(planSearchJobs([], { live: false, targetBytesPerJob: 1 }), []);
  });
});
