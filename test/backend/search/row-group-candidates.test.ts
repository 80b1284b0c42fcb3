import assert from 'node:assert/strict';
import { blockObjectKey, DATA_NAME } from '../../../backend/block/block-layout.ts';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { RowGroupFrames } from '../../../backend/block/row-group-frames.ts';
import { RowGroupReader } from '../../../backend/block/row-group-reader.ts';
import { startsWithExactFilter, prefilterPlan } from '../../../backend/search/prefilter-plan.ts';
import { candidateTraces, hasUnnamedKeys } from '../../../backend/search/row-group-candidates.ts';
import { spanLayout } from '../../../backend/search/row-group-layout.ts';
import { searchIndex } from '../../../backend/search/search-index-cache.ts';
import { FAIL, PASS } from '../../../backend/search/span-atom-bits.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';
import { traceModel } from '../../../backend/traceql/trace-model.ts';
import { makeTempStore, type TempStore } from '../block/block-fixtures.ts';
import { randomQueries } from './random-queries.ts';
import { scanEntries, writeScanBlock } from './scan-corpus.ts';

const EXACT_QUERIES = [
  '{ span.http.status_code = 503 }', '{ resource.service.name = "x" }', '{ resource.service.name = "x" && duration > 10ms }',
  '{ .service.name = "x" }', '{ .foo = "bar" || .http.status_code = 503 }', '{ span.http.status_code = "503" }',
  '{ span.retry }', '{ status = error && kind = server }', '{ name =~ "GET.*" }', '{ statusMessage = "" }',
];

describe('candidateTraces', () => {
  let tmp: TempStore;
  let meta: BlockMeta;

  before(async () => {
    tmp = await makeTempStore();
    meta = await writeScanBlock(tmp.store, scanEntries(1500, 5), '00000000-0000-0000-0000-00000000000c', 'tl2', 16 * 1024);
  });
  after(() => tmp.dispose());

  it('judges traces PASS with exactly the engine\'s matched spans, and FAIL only where the engine finds none, for exact filters', async () => {
    const queries = [...EXACT_QUERIES, ...randomQueries(250, 23)].map((q) => parseQuery(q)).filter((q) => q.stages.length === 1 && startsWithExactFilter(q));
    assert.ok(queries.length > 100, `${queries.length} exact queries`);
    const { index } = await searchIndex(tmp.store, meta);
    const key = blockObjectKey(meta.tenantID, meta.blockID, DATA_NAME);
    let passed = 0;
    let unsure = 0;
    for (let g = 0; g < index.groupCount; g++) {
      const group = index.group(g);
      const frames = new RowGroupFrames((offset, length) => tmp.store.getRange(key, offset, length), group);
      await frames.load();
      const columns = frames.columns();
      const layout = spanLayout(columns, group.traces);
      const traces: TraceModel[] = [];
      const cursor = new RowGroupReader(columns).cursor();
      for (let t = 0; t < group.traces; t++) traces.push(traceModel(cursor.next()));
      for (const query of queries) {
        const verdicts = candidateTraces(columns, layout, prefilterPlan(query), hasUnnamedKeys(group));
        for (let t = 0; t < group.traces; t++) {
          const [match] = evaluate(query, [traces[t]]);
          const verdict = verdicts.traces[t];
          if (verdict === FAIL) assert.equal(match, undefined, `FAIL but matched: trace ${t} of group ${g}`);
          if (verdict !== PASS) {
            unsure += verdict === FAIL ? 0 : 1;
            continue;
          }
          passed++;
          const first = layout.spanStart[t];
          const spans: number[] = traces[t].spans.filter((s) => verdicts.spans![first + s.index] === PASS).map((s) => s.index);
          assert.deepEqual(match?.spanSets[0].spans.map((m) => m.span.index), spans, `trace ${t} of group ${g}`);
          assert.equal(match!.spanSets.length, 1);
        }
      }
    }
    assert.ok(passed > 5000, `${passed} traces judged PASS (${unsure} left to the engine)`);
  });
});
