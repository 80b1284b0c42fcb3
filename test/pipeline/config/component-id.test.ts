import assert from 'node:assert/strict';
import { parseComponentId } from '../../../pipeline/config/component-id.ts';

describe('parseComponentId', () => {
  it('splits type/name at the first slash', () => {
    assert.deepEqual(parseComponentId('otlp'), { type: 'otlp' });
    assert.deepEqual(parseComponentId('otlp/internal'), { type: 'otlp', name: 'internal' });
    assert.deepEqual(parseComponentId('otlp/a/b'), { type: 'otlp', name: 'a/b' });
  });

  it('refuses ids the Collector would refuse', () => {
    for (const bad of ['', '9lives', 'otlp/', 'otlp/has space', 'my-type']) assert.equal(parseComponentId(bad), undefined, bad);
  });
});
