import assert from 'node:assert/strict';
import { splitBySize } from '../../../exporters/kafka/split-by-size.ts';
import { encodeTraceBatch } from '../../../pipeline/otlp/encode-trace-batch.ts';
import type { ResourceSpansRecord } from '../../../pipeline/trace-batch.ts';
import { traceFixture } from '../../pipeline/kafka/trace-fixtures.ts';

function spanOrder(chunks: readonly ResourceSpansRecord[][]): Uint8Array[] {
  return chunks.flatMap((chunk) => chunk.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))));
}

describe('splitBySize', () => {
  it('cuts into chunks whose encoding fits the budget, keeping every span in order', () => {
    const { batch } = traceFixture({ services: 3, traces: 10, spansPerTrace: 3, padding: 200 });
    const whole = encodeTraceBatch(batch.resourceSpans).length;
    const budget = Math.floor(whole / 7);
    const chunks = splitBySize(batch.resourceSpans, budget);
    assert.ok(chunks.length >= 7);
    for (const chunk of chunks) assert.ok(encodeTraceBatch(chunk).length <= budget);
    assert.deepEqual(spanOrder(chunks), spanOrder([batch.resourceSpans]));
  });

  it('repeats the resource and scope fields in every chunk that holds their spans', () => {
    const { batch } = traceFixture({ services: 1, traces: 20, spansPerTrace: 1, padding: 100 });
    const chunks = splitBySize(batch.resourceSpans, 600);
    assert.ok(chunks.length > 2);
    for (const chunk of chunks) {
      assert.equal(chunk[0]!.fields, batch.resourceSpans[0]!.fields);
      assert.equal(chunk[0]!.scopeSpans[0]!.fields, batch.resourceSpans[0]!.scopeSpans[0]!.fields);
    }
  });

  it('gives a span bigger than the budget a chunk of its own', () => {
    const { batch } = traceFixture({ services: 1, traces: 3, spansPerTrace: 1, padding: 1000 });
    const chunks = splitBySize(batch.resourceSpans, 500);
    assert.equal(chunks.length, 3);
  });

  it('keeps everything in one chunk when it fits', () => {
    const { batch } = traceFixture();
    assert.equal(splitBySize(batch.resourceSpans, 1_000_000).length, 1);
  });
});
