import assert from 'node:assert/strict';
import { groupByTraceId } from '../../../exporters/kafka/group-by-trace.ts';
import { countSpans } from '../../../pipeline/trace-batch.ts';
import { spansByTrace, traceFixture } from '../../pipeline/kafka/trace-fixtures.ts';

describe('groupByTraceId', () => {
  it('makes one group per trace ID, keyed by the ID in 32 lowercase hex', () => {
    const { batch, traceIds } = traceFixture({ services: 3, traces: 4, spansPerTrace: 2 });
    const groups = groupByTraceId(batch.resourceSpans);
    assert.deepEqual([...groups.keys()].sort(), [...traceIds].sort());
    for (const key of groups.keys()) assert.match(key, /^[0-9a-f]{32}$/);
    for (const [traceId, resourceSpans] of groups) {
      assert.deepEqual([...spansByTrace({ resourceSpans, spanCount: countSpans(resourceSpans) }).keys()], [traceId]);
      assert.equal(countSpans(resourceSpans), 6, '2 spans from each of 3 services');
    }
  });

  it('keeps each span under its own resource and scope, in the original order', () => {
    const { batch } = traceFixture({ services: 2, traces: 2, spansPerTrace: 3 });
    const groups = [...groupByTraceId(batch.resourceSpans).values()];
    for (const resourceSpans of groups) {
      assert.equal(resourceSpans.length, 2);
      resourceSpans.forEach((rs, i) => {
        const source = batch.resourceSpans[i]!;
        assert.equal(rs.fields, source.fields);
        assert.equal(rs.scopeSpans.length, 1);
        assert.equal(rs.scopeSpans[0]!.fields, source.scopeSpans[0]!.fields);
        const order = rs.scopeSpans[0]!.spans.map((span) => source.scopeSpans[0]!.spans.indexOf(span));
        assert.deepEqual(order, [...order].sort((a, b) => a - b));
        assert.ok(order.every((index) => index >= 0), 'span records are shared, not copied');
      });
    }
  });

  it('returns no groups for a batch without spans', () => {
    assert.equal(groupByTraceId([]).size, 0);
  });
});
