import assert from 'node:assert/strict';
import { xxhash32 } from '../../../pipeline/kafka/xxhash32.ts';

describe('xxhash32', () => {
  it('matches the reference XXH32 (seed 0) for short and long inputs', () => {
    assert.equal(xxhash32(new Uint8Array(0)), 0x02cc5d05);
    assert.equal(xxhash32(Buffer.from('abc')), 0x32d153ff);
    assert.equal(xxhash32(Buffer.from('Nobody inspects the spammish repetition')), 0xe2293b2f);
  });
});
