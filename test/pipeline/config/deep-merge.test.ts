import assert from 'node:assert/strict';
import { deepMerge } from '../../../pipeline/config/deep-merge.ts';

describe('deepMerge', () => {
  it('merges plain objects key by key and lets lists and scalars replace the default', () => {
    const defaults = { a: { b: 1, c: [1, 2] }, d: 'x' };
    assert.deepEqual(deepMerge(defaults, { a: { c: [3] }, e: true }), { a: { b: 1, c: [3] }, d: 'x', e: true });
  });

  it('treats null, at the top or for a key, as "the default"', () => {
    assert.deepEqual(deepMerge({ a: { b: 1 } }, null), { a: { b: 1 } });
    assert.deepEqual(deepMerge({ a: { b: 1 } }, { a: null }), { a: { b: 1 } });
  });

  it('returns a fresh tree, leaving both inputs untouched', () => {
    const defaults = { a: { b: [1] } };
    const merged = deepMerge(defaults, {}) as { a: { b: number[] } };
    merged.a.b.push(2);
    assert.deepEqual(defaults, { a: { b: [1] } });
  });
});
