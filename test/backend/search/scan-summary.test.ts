import assert from 'node:assert/strict';
import { blockObjectKey, DATA_NAME, INDEX_NAME } from '../../../backend/block/block-layout.ts';
import type { BlockMeta } from '../../../backend/block/block-meta.ts';
import { encodeRowGroupIndex, RowGroupIndex, type RowGroupRef } from '../../../backend/block/row-group-index.ts';
import { scanBlock, overlaps, type ScanStats } from '../../../backend/search/scan-block.ts';
import { traceResult } from '../../../backend/search/trace-result.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { evaluate } from '../../../backend/traceql/evaluate.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';
import type { TraceModel } from '../../../backend/traceql/span-model.ts';
import { makeTempStore, type TempStore } from '../block/block-fixtures.ts';
import { randomQueries } from './random-queries.ts';
import { scanEntries, storedTraces, writeScanBlock } from './scan-corpus.ts';

/** The same block with a version 1 index (no row group summaries), as older writers left it. */
async function withVersion1Index(store: ObjectStore, meta: BlockMeta, blockID: string): Promise<BlockMeta> {
  const index = new RowGroupIndex(await store.get(blockObjectKey(meta.tenantID, meta.blockID, INDEX_NAME)));
  const groups = Array.from({ length: index.groupCount }, (_, g) => index.group(g));
  await store.put(blockObjectKey(meta.tenantID, blockID, DATA_NAME), await store.get(blockObjectKey(meta.tenantID, meta.blockID, DATA_NAME)));
  await store.put(blockObjectKey(meta.tenantID, blockID, INDEX_NAME), encodeRowGroupIndex(groups, 1));
  return { ...meta, blockID };
}

async function scanned(store: ObjectStore, meta: BlockMeta, q: string): Promise<{ matches: unknown[]; stats: ScanStats }> {
  const matches: unknown[] = [];
  const stats = await scanBlock(store, meta, { query: parseQuery(q) }, (m) => {
    matches.push(traceResult(m, 1000));
  });
  return { matches, stats };
}

function reference(traces: readonly TraceModel[], q: string): unknown[] {
  const query = parseQuery(q);
  return traces.filter((t) => overlaps(t, undefined)).flatMap((t) => evaluate(query, [t])).map((m) => traceResult(m, 1000));
}

describe('scanBlock with row group summaries', () => {
  let tmp: TempStore;
  let v2: BlockMeta;
  let v1: BlockMeta;
  let traces: TraceModel[];
  let groups: RowGroupRef[];
  /** Queries at the edges of the groups' own summaries: equal to a group's min / max, just past them. */
  let edgeQueries: string[];

  before(async () => {
    tmp = await makeTempStore();
    v2 = await writeScanBlock(tmp.store, scanEntries(500, 3), '00000000-0000-0000-0000-0000000000a2', 'tl2', 8 * 1024);
    v1 = await withVersion1Index(tmp.store, v2, '00000000-0000-0000-0000-0000000000a1');
    traces = await storedTraces(tmp.store, v2);
    const index = new RowGroupIndex(await tmp.store.get(blockObjectKey('t', v2.blockID, INDEX_NAME)));
    groups = Array.from({ length: index.groupCount }, (_, g) => index.group(g));
    edgeQueries = [];
    for (const g of groups.filter((x) => x.summary?.duration !== undefined).slice(0, 6)) {
      const { min, max } = g.summary!.duration!;
      for (const q of [`duration >= ${max}ns`, `duration > ${max}ns`, `duration <= ${min}ns`, `duration < ${min}ns`, `duration = ${max}ns`]) edgeQueries.push(`{ ${q} }`);
      const code = g.summary!.attributes.get('span.attr:http.status_code')?.ints;
      if (code !== undefined) {
        for (const q of [`>= ${code.max}`, `> ${code.max}`, `<= ${code.min}`, `= ${code.max}.0`, `!= ${code.min}`]) edgeQueries.push(`{ span.http.status_code ${q} }`);
      }
    }
  });
  after(() => tmp.dispose());

  it('has row groups with and without summaries', () => {
    assert.ok(groups.length > 20, `${groups.length} row groups`);
    const summarised = groups.filter((g) => g.summary !== undefined).length;
    assert.ok(summarised > 0 && summarised < groups.length, `${summarised} of ${groups.length}`);
  });

  it('finds exactly the reference engine\'s matches over both index versions', async () => {
    const selective = ['{ duration > 2s }', '{ status = error }', '{ kind = server && span.http.status_code >= 500 }', '{ span.http.status_code >= 500 }',
      '{ span.ratio > 3 }', '{ span.http.status_code = 503.0 }', '{ span.int.neg < -41 }', '{ span.dbl.price >= 19.99 }', '{ kind = producer }',
      '{ name = "nope" }', '{ name = "render" }', '{ resource.service.name = "nope" }', '{ resource.service.name = "db" }', '{ .service.name = "x" }',
      '{ .service.name = "nope" }', '{ name = "GET /everything" }', '{ resource.service.name = "edge" }'];
    let skipping = 0;
    for (const q of [...selective, ...edgeQueries, ...randomQueries(150, 29)]) {
      const expected = reference(traces, q);
      const now = await scanned(tmp.store, v2, q);
      const old = await scanned(tmp.store, v1, q);
      assert.deepEqual(now.matches, expected, q);
      assert.deepEqual(old.matches, expected, `${q} (version 1)`);
      // The version 2 index is a few bytes longer per group: reading less data means groups were skipped.
      if (now.stats.inspectedBytes < old.stats.inspectedBytes) skipping++;
    }
    assert.ok(skipping >= 20, `only ${skipping} queries skipped row groups by their summaries`);
  });

  it('reads less for duration, status, kind, numeric range, name and service queries that rule groups out', async () => {
    const maxes = groups.flatMap((g) => (g.summary?.duration === undefined ? [] : [g.summary.duration.max])).sort((a, b) => a - b);
    const longest = maxes[Math.floor(maxes.length / 2)];
    // Every group of this corpus holds every status and every kind but unspecified; http.status_code has strings.
    for (const q of [`{ duration > ${longest}ns }`, '{ kind = unspecified }', '{ span.ratio > 10 }', '{ status = error && span.ratio >= 10.5 }',
      '{ name = "nope" }', '{ resource.service.name = "nope" }']) {
      const old = await scanned(tmp.store, v1, q);
      const now = await scanned(tmp.store, v2, q);
      assert.ok(now.stats.inspectedBytes < old.stats.inspectedBytes * 0.8, `${q}: ${now.stats.inspectedBytes} vs ${old.stats.inspectedBytes}`);
      assert.deepEqual(now.matches, old.matches, q);
    }
  });

  it('reads as much as before when every group may match', async () => {
    for (const q of ['{ duration >= 0 }', '{ span.http.status_code != 1 }', '{ status != error || kind != server }']) {
      assert.equal((await scanned(tmp.store, v2, q)).stats.inspectedBytes, (await scanned(tmp.store, v1, q)).stats.inspectedBytes, q);
    }
  });
});
