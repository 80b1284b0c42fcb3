import assert from 'node:assert/strict';
import { scanBlock } from '../../../backend/search/scan-block.ts';
import { traceResult } from '../../../backend/search/trace-result.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';
import { RecordingStore } from '../block/block-fixtures.ts';
import { makeS3Store, type TestStore } from '../db/db-stores.ts';
import { scanEntries, storedTraces, writeScanBlock } from './scan-corpus.ts';

describe('scanBlock over S3', () => {
  let s3: TestStore;

  before(async () => {
    s3 = await makeS3Store();
  });
  after(() => s3.dispose());

  it('finds the reference engine\'s matches with ranged reads of the filter columns first', async () => {
    const meta = await writeScanBlock(s3.store, scanEntries(800, 9), '00000000-0000-0000-0000-000000000053', 'tl2', 32 * 1024);
    const traces = await storedTraces(s3.store, meta);
    for (const q of ['{ span.http.status_code = 503 && kind = server }', '{ resource.service.name = "db" } >> { status = error }', '{ span.foo = "none" }']) {
      const recording = new RecordingStore(s3.store);
      const matches: unknown[] = [];
      const stats = await scanBlock(recording, meta, { query: parseQuery(q) }, (m) => {
        matches.push(traceResult(m, 100));
      });
      assert.deepEqual(matches, evaluate(q, traces).map((m) => traceResult(m, 100)), q);
      assert.ok(stats.inspectedBytes > 0 && stats.inspectedBytes <= meta.size * 2, `${stats.inspectedBytes} bytes`);
      assert.ok(recording.count('getRange') > 0, q);
    }
  });
});
