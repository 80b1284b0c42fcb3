import assert from 'node:assert/strict';
import { checkSearchLimits, goDuration } from '../../../backend/search/search-limits.ts';
import { parseSearchRequest } from '../../../backend/search/search-request.ts';

const request = (query: string) => parseSearchRequest(new URLSearchParams(query));

describe('checkSearchLimits', function () {
  it('lets anything through with no maximum set', function () {
    assert.doesNotThrow(() => checkSearchLimits(request('limit=100000&start=1&end=2000000000'), { maxResultLimit: 0, maxDurationMs: 0 }));
  });

  it('refuses an open-ended range under a max duration as Tempo does with end=0', function () {
    assert.throws(() => checkSearchLimits(request('start=1000'), { maxResultLimit: 0, maxDurationMs: 168 * 3_600_000 }),
      /^BadRequestError: range specified by start and end exceeds 168h0m0s\. received start=1000 end=0$/);
    assert.doesNotThrow(() => checkSearchLimits(request(''), { maxResultLimit: 0, maxDurationMs: 1000 }));
  });
});

describe('goDuration', function () {
  it('prints durations as Go does', function () {
    assert.deepEqual([0, 500, 1000, 1500, 90_000, 3_600_000, 168 * 3_600_000, 5_430_000].map(goDuration),
      ['0s', '500ms', '1s', '1.5s', '1m30s', '1h0m0s', '168h0m0s', '1h30m30s']);
  });
});
