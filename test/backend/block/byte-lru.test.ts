import assert from 'node:assert/strict';
import { ByteLru } from '../../../backend/block/byte-lru.ts';

describe('ByteLru', () => {
  it('evicts the least recently used entries once over its byte budget', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    assert.equal(lru.get('a'), 'A'); // a is now the most recent
    lru.set('c', 'C', 40);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 'A');
    assert.equal(lru.get('c'), 'C');
    assert.equal(lru.bytes, 80);
  });

  it('does not keep a value larger than the whole cache', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A', 5);
    lru.set('big', 'B', 11);
    assert.equal(lru.get('big'), undefined);
    assert.equal(lru.get('a'), 'A');
  });

  it('counts a replaced value once', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 30);
    lru.set('a', 'A2', 50);
    assert.equal(lru.bytes, 50);
    assert.equal(lru.size, 1);
  });
});
