import assert from 'node:assert/strict';
import { MAX_TAG_BYTES, TagNameCollector, TagValueCollector } from '../../../backend/search/tag-collect.ts';
import { parseTagIdentifier } from '../../../backend/search/tag-identifier.ts';

describe('TagValueCollector and TagNameCollector bounds', function () {
  it('is full once limit distinct values are held, and keeps adding values until asked to stop', function () {
    const values = new TagValueCollector(parseTagIdentifier('span.x'), { limit: 2, maxBytes: MAX_TAG_BYTES });
    values.addValue({ type: 'string', value: 'a' });
    values.addValue({ type: 'string', value: 'a' });
    assert.equal(values.full, false);
    values.addValue({ type: 'int', value: 1 });
    assert.equal(values.full, true);
    values.addValue({ type: 'string', value: 'b' });
    assert.deepEqual(values.result(), [{ type: 'int', value: '1' }, { type: 'string', value: 'a' }, { type: 'string', value: 'b' }]);
  });

  it('stops at the byte cap (type and value lengths) and answers what it held, as Tempo\'s distinct collector', function () {
    const values = new TagValueCollector(parseTagIdentifier('span.x'), { limit: 0, maxBytes: 20 });
    values.addValue({ type: 'string', value: 'abcdefgh' }); // 6 + 8 = 14
    assert.equal(values.full, false);
    values.addValue({ type: 'string', value: 'xyz' }); // 14 + 9 = 23 ≥ 20: not added, full
    values.addValue({ type: 'bool', value: true }); // would fit, but collecting stopped
    assert.equal(values.full, true);
    assert.deepEqual(values.result(), [{ type: 'string', value: 'abcdefgh' }]);
  });

  it('gives array elements and nothing for bytes and key-value lists', function () {
    const values = new TagValueCollector(parseTagIdentifier('span.x'));
    values.addValue({ type: 'array', values: [{ type: 'string', value: 'e' }, { type: 'float', value: 1.5 }] });
    values.addValue({ type: 'opaque', what: 'bytes' });
    assert.deepEqual(values.result(), [{ type: 'float', value: '1.5' }, { type: 'string', value: 'e' }]);
    assert.equal(values.full, false);
  });

  it('caps names by bytes across scopes, and is full by limit only when every scope holds that many', function () {
    const capped = new TagNameCollector({ limit: 0, maxBytes: 10 });
    capped.addName('span', 'abcd');
    capped.addName('resource', 'efgh');
    capped.addName('span', 'ij');
    assert.equal(capped.full, true);
    assert.deepEqual(capped.result().span, ['abcd']);
    assert.deepEqual(capped.result().resource, ['efgh']);
    const limited = new TagNameCollector({ limit: 1, maxBytes: MAX_TAG_BYTES });
    limited.addName('span', 'a');
    limited.addName('resource', 'b');
    assert.equal(limited.full, false);
    for (const scope of ['event', 'link', 'instrumentation'] as const) limited.addName(scope, 'c');
    assert.equal(limited.full, true);
  });
});
