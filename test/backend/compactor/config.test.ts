import assert from 'node:assert/strict';
import { compactorConfigProblems, blockRetentionFor, resolveCompactorSettings } from '../../../backend/compactor/compactor-settings.ts';
import { compactorConfigSchema, compactorOverridesSchema, createDefaultCompactorConfig } from '../../../backend/compactor/config.ts';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';

describe('compactor config', () => {
  it('has defaults that pass its schema and resolve to Tempo\'s values', () => {
    assert.deepEqual(schemaErrors(compactorConfigSchema, createDefaultCompactorConfig(), 'compactor'), []);
    const s = resolveCompactorSettings(undefined);
    assert.equal(s.windowMs, 3600_000);
    assert.equal(s.blockRetentionMs, 336 * 3600_000);
    assert.equal(s.compactedBlockRetentionMs, 3600_000);
    assert.equal(s.cycleMs, 30_000);
    assert.equal(s.maxCompactionObjects, 6_000_000);
    assert.equal(s.maxBlockBytes, 512 * 1024 * 1024);
    assert.deepEqual([s.minInputBlocks, s.maxInputBlocks], [2, 8]);
    assert.deepEqual(compactorConfigProblems(undefined), []);
  });

  it('accepts an empty section and partial keys, taking the rest from the defaults', () => {
    assert.deepEqual(schemaErrors(compactorConfigSchema, null, 'compactor'), []);
    assert.deepEqual(schemaErrors(compactorConfigSchema, { compaction: { block_retention: '48h' } }, 'compactor'), []);
    assert.equal(resolveCompactorSettings({ compaction: { block_retention: '48h' } as never }).blockRetentionMs, 48 * 3600_000);
  });

  it('refuses unknown keys and bad values', () => {
    assert.notDeepEqual(schemaErrors(compactorConfigSchema, { compaction: { retention: '1h' } }, 'compactor'), []);
    assert.notDeepEqual(schemaErrors(compactorConfigSchema, { compaction: { min_input_blocks: 1 } }, 'compactor'), []);
    assert.deepEqual(compactorConfigProblems({ compaction: { min_input_blocks: 5, max_input_blocks: 3 } as never }), [
      'compactor.compaction.max_input_blocks: must not be below min_input_blocks (5)',
    ]);
    assert.deepEqual(compactorConfigProblems({ compaction: { compaction_window: '10ms' } as never }), ['compactor.compaction.compaction_window: must be at least 1s']);
  });

  it('gives a tenant its override, 0 meaning keep forever, and the others the default', () => {
    const overrides = { noisy: { block_retention: '24h' }, audit: { block_retention: 0 } };
    assert.deepEqual(schemaErrors(compactorOverridesSchema, overrides, 'overrides'), []);
    assert.notDeepEqual(schemaErrors(compactorOverridesSchema, { noisy: { retention: '1h' } }, 'overrides'), []);
    const s = resolveCompactorSettings(undefined, overrides);
    assert.equal(blockRetentionFor(s, 'noisy'), 24 * 3600_000);
    assert.equal(blockRetentionFor(s, 'audit'), 0);
    assert.equal(blockRetentionFor(s, 'other'), 336 * 3600_000);
  });
});
