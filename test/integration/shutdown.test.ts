import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createOtlpExporter, exportSpans, recordSimpleTrace, traceIdOf } from './sdk-spans.ts';
import { fetchSpans } from './tempo-client.ts';
import { fromReadableSpan, sortSpans } from './trace-model.ts';
import { removeDir, TracelakeProcess } from './tracelake-process.ts';

describe('SIGTERM', function () {
  const procs: TracelakeProcess[] = [];

  afterEach(async function () {
    for (const p of procs.splice(0)) {
      await p.stop('SIGKILL');
      await removeDir(p.dir);
    }
  });

  it('drains in-flight requests, exits 0, and every acknowledged trace is there after a restart', async function () {
    const first = await TracelakeProcess.start();
    procs.push(first);
    const traces = Array.from({ length: 30 }, (_, i) => recordSimpleTrace({ spans: 5, name: `inflight-${i}` }));
    let signalled = false;
    const acked: ReadableSpan[][] = [];
    // Thirty concurrent exports; SIGTERM goes out when the first is acknowledged, with the rest in flight.
    const results = await Promise.allSettled(traces.map(async (spans) => {
      const exporter = createOtlpExporter('http/protobuf', first, 3000);
      try {
        await exportSpans(exporter, spans, () => {
          acked.push(spans);
          if (!signalled) {
            signalled = true;
            first.child.kill('SIGTERM');
          }
        });
      } finally {
        await exporter.shutdown();
      }
    }));
    assert.ok(signalled, `no export was acknowledged: ${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join('; ')}`);
    assert.deepEqual(await first.waitExit(30_000, 'SIGTERM'), { code: 0, signal: null }, first.output);

    const second = await first.restart();
    procs.push(second);
    for (const spans of acked) {
      const actual = await fetchSpans(second, traceIdOf(spans), 'v2', 'protobuf');
      assert.deepStrictEqual(actual, sortSpans(spans.map(fromReadableSpan)));
    }
  });
});
