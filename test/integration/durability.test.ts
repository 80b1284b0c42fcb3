import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { blockMetas } from './block-files.ts';
import { createOtlpExporter, exportSpans, recordSimpleTrace, sendSpans, traceIdOf } from './sdk-spans.ts';
import { API_VARIANTS, fetchSpans, waitFor } from './tempo-client.ts';
import { fromReadableSpan, sortSpans } from './trace-model.ts';
import { removeDir, TracelakeProcess } from './tracelake-process.ts';

async function assertWhole(proc: TracelakeProcess, spans: ReadableSpan[], when: string): Promise<void> {
  const expected = sortSpans(spans.map(fromReadableSpan));
  for (const { version, format } of API_VARIANTS) {
    const actual = await fetchSpans(proc, traceIdOf(spans), version, format);
    assert.deepStrictEqual(actual, expected, `${when}: ${version} ${format}`);
  }
}

describe('durability of acknowledged spans', function () {
  const procs: TracelakeProcess[] = [];
  const track = (p: TracelakeProcess): TracelakeProcess => { procs.push(p); return p; };

  afterEach(async function () {
    for (const p of procs.splice(0)) {
      await p.stop('SIGKILL');
      await removeDir(p.dir);
    }
  });

  it('loses nothing acknowledged with 200 when killed with SIGKILL right after', async function () {
    const first = track(await TracelakeProcess.start());
    const traces = Array.from({ length: 10 }, (_, i) => recordSimpleTrace({ spans: 4, name: `batch-${i}` }));
    const exporter = createOtlpExporter('http/protobuf', first);
    try {
      for (let i = 0; i < traces.length - 1; i++) await exportSpans(exporter, traces[i]!);
      // The kill happens in the acknowledgement callback of the last batch: no time to flush anything.
      await exportSpans(exporter, traces.at(-1)!, () => first.child.kill('SIGKILL'));
    } finally {
      await exporter.shutdown();
    }
    assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });

    const second = track(await first.restart());
    for (const [i, spans] of traces.entries()) await assertWhole(second, spans, `batch ${i} after kill -9 and restart`);
  });

  it('returns a trace whole and without duplicates when its spans are split over a block, the WAL and live data', async function () {
    const ingester = { trace_idle_period: '200ms', max_block_duration: '1s', max_block_bytes: '1KiB' };
    const first = track(await TracelakeProcess.start({ ingester }));

    const partA = recordSimpleTrace({ spans: 3, name: 'part-a' });
    const traceId = traceIdOf(partA);
    await sendSpans('grpc', first, partA);
    await waitFor('the first block (meta.json)', async () => ((await blockMetas(first.blocksDir)).length > 0 ? true : undefined));
    await assertWhole(first, partA, 'part A after its block flush');

    const partB = recordSimpleTrace({ spans: 2, name: 'part-b', traceId });
    const exporter = createOtlpExporter('http/protobuf', first);
    try {
      await exportSpans(exporter, partB, () => first.child.kill('SIGKILL'));
    } finally {
      await exporter.shutdown();
    }
    await first.exited;

    const second = track(await first.restart({ ingester }));
    const partC = recordSimpleTrace({ spans: 2, name: 'part-c', traceId });
    await sendSpans('http/json', second, partC);
    const all = [...partA, ...partB, ...partC];
    await assertWhole(second, all, 'block + replayed WAL + live, right after restart');

    await waitFor('a second block', async () => ((await blockMetas(second.blocksDir)).length >= 2 ? true : undefined));
    await assertWhole(second, all, 'after parts B and C were flushed too');

    assert.deepEqual(await second.stop('SIGTERM'), { code: 0, signal: null });
    const third = track(await second.restart({ ingester }));
    await assertWhole(third, all, 'after a clean restart');
  });
});
