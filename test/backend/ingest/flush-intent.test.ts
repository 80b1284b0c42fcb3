import assert from 'node:assert/strict';
import { encodeFlushIntent, parseFlushIntent } from '../../../backend/ingest/flush-intent.ts';

describe('flush intent', () => {
  it('round-trips through the commit metadata when it starts at the committed offset', () => {
    const metadata = encodeFlushIntent({ start: 120, end: 345 });
    assert.deepEqual(parseFlushIntent(metadata, 120), { start: 120, end: 345 });
  });

  it('is ignored when it does not start at the committed offset, or is not one', () => {
    assert.equal(parseFlushIntent(encodeFlushIntent({ start: 120, end: 345 }), 346), undefined);
    assert.equal(parseFlushIntent('', 0), undefined);
    assert.equal(parseFlushIntent(null, 0), undefined);
    assert.equal(parseFlushIntent('tracelake-flush:5-4', 5), undefined);
    assert.equal(parseFlushIntent('tracelake-flush:x-9', 5), undefined);
  });
});
