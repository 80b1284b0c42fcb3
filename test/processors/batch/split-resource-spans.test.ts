import assert from 'node:assert/strict';
import { splitResourceSpans } from '../../../processors/batch/split-resource-spans.ts';
import { fakeBatch, spanIdsOf } from './fake-batch.ts';

describe('splitResourceSpans', () => {
  it('splits inside a scope, keeping the resource and scope fields on both sides', () => {
    const batch = fakeBatch([2, 3], [4]);
    const [head, tail] = splitResourceSpans(batch.resourceSpans, 3);
    assert.deepEqual(spanIdsOf(head), spanIdsOf(batch.resourceSpans).slice(0, 3));
    assert.deepEqual(spanIdsOf(tail), spanIdsOf(batch.resourceSpans).slice(3));
    assert.deepEqual(head.map((rs) => rs.scopeSpans.map((ss) => [...ss.fields])), [[[0, 0], [0, 1]]]);
    assert.deepEqual(tail.map((rs) => [...rs.fields]), [[0], [1]]);
    assert.deepEqual([...tail[0]!.scopeSpans[0]!.fields], [0, 1]);
  });

  it('splits between resources without cutting either', () => {
    const batch = fakeBatch([2, 3], [4]);
    const [head, tail] = splitResourceSpans(batch.resourceSpans, 5);
    assert.equal(head.length, 1);
    assert.equal(head[0], batch.resourceSpans[0]);
    assert.equal(tail[0], batch.resourceSpans[1]);
  });

  it('puts everything in the head when n covers every span', () => {
    const batch = fakeBatch([2], [1]);
    const [head, tail] = splitResourceSpans(batch.resourceSpans, 3);
    assert.equal(head.length, 2);
    assert.deepEqual(tail, []);
  });
});
