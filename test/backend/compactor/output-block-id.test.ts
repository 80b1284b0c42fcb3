import assert from 'node:assert/strict';
import { outputBlockId } from '../../../backend/compactor/output-block-id.ts';

describe('outputBlockId', () => {
  const base = { tenant: 't', inputs: ['a', 'b'], index: 0, fingerprint: 'tl1/zstd6' };

  it('is a UUIDv5 that depends only on the job', () => {
    const id = outputBlockId(base);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(outputBlockId({ ...base, inputs: ['a', 'b'] }), id);
  });

  it('differs for another tenant, input set, output index or setting', () => {
    const ids = new Set([
      outputBlockId(base), outputBlockId({ ...base, tenant: 'u' }), outputBlockId({ ...base, inputs: ['a', 'c'] }),
      outputBlockId({ ...base, inputs: ['a'] }), outputBlockId({ ...base, index: 1 }), outputBlockId({ ...base, fingerprint: 'tl1/zstd3' }),
    ]);
    assert.equal(ids.size, 6);
  });
});
