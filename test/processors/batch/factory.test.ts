import assert from 'node:assert/strict';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';
import { batchProcessorFactory } from '../../../processors/batch/factory.ts';

const errorsOf = (config: unknown) => schemaErrors(batchProcessorFactory.configSchema, config, 'batch');

describe('batchProcessorFactory', () => {
  it('has the Collector\'s defaults, which pass the schema and checks', () => {
    const config = batchProcessorFactory.createDefaultConfig();
    assert.deepEqual(config, {
      send_batch_size: 8192, send_batch_max_size: 0, timeout: '200ms', metadata_keys: [], metadata_cardinality_limit: 1000,
    });
    assert.deepEqual(errorsOf(config), []);
    assert.deepEqual(batchProcessorFactory.validate(config), []);
  });

  it('refuses unknown keys and a timeout without a unit', () => {
    assert.equal(errorsOf({ send_batch_size: 1, sendBatchSize: 2 }).length, 1);
    assert.equal(errorsOf({ timeout: 200 }).length > 0, true);
  });

  it('reports send_batch_max_size below send_batch_size and duplicate metadata keys', () => {
    const config = {
      ...batchProcessorFactory.createDefaultConfig(), send_batch_max_size: 100, metadata_keys: ['X-Scope-OrgID', 'x-scope-orgid'],
    };
    const problems = batchProcessorFactory.validate(config);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^send_batch_max_size: /);
    assert.match(problems[1]!, /^metadata_keys: duplicate/);
  });
});
