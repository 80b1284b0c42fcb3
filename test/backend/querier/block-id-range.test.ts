import assert from 'node:assert/strict';
import { inBlockIdRange, parseBlockId } from '../../../backend/querier/block-id-range.ts';
import { BadRequestError } from '../../../pipeline/errors.ts';

describe('parseBlockId', () => {
  it('returns the canonical form of a UUID in any case, with or without hyphens', () => {
    assert.equal(parseBlockId('0AF76519-16CD-43DD-8448-EB211C80319C', 'blockStart'), '0af76519-16cd-43dd-8448-eb211c80319c');
    assert.equal(parseBlockId('0af7651916cd43dd8448eb211c80319c', 'blockStart'), '0af76519-16cd-43dd-8448-eb211c80319c');
  });

  it('refuses anything else with a BadRequestError naming the parameter', () => {
    for (const bad of ['', 'xyz', '0af76519-16cd-43dd-8448-eb211c80319', '0af76519-16cd-43dd-8448-eb211c80319cc', '{0af76519-16cd-43dd-8448-eb211c80319c}']) {
      assert.throws(() => parseBlockId(bad, 'blockEnd'), (err: unknown) => err instanceof BadRequestError && /^invalid blockEnd: /.test(err.message), bad);
    }
  });
});

describe('inBlockIdRange', () => {
  const range = { start: '40000000-0000-0000-0000-000000000000', end: '7fffffff-ffff-ffff-ffff-ffffffffffff' };

  it('includes both ends and compares block IDs in any case', () => {
    assert.equal(inBlockIdRange('40000000-0000-0000-0000-000000000000', range), true);
    assert.equal(inBlockIdRange('7FFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', range), true);
    assert.equal(inBlockIdRange('3fffffff-ffff-ffff-ffff-ffffffffffff', range), false);
    assert.equal(inBlockIdRange('80000000-0000-0000-0000-000000000000', range), false);
  });
});
