import assert from 'node:assert/strict';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';
import { memoryLimiterProcessorFactory as factory } from '../../../processors/memory-limiter/factory.ts';
import { memoryLimits } from '../../../processors/memory-limiter/memory-limits.ts';

const merged = (user: unknown) => factory.mergeConfig(factory.createDefaultConfig(), user);
const problemsOf = (user: unknown) => factory.validate(merged(user));
const MIB = 1024 * 1024;

describe('memory_limiter config', () => {
  it('defaults to 80% of memory with a 20% spike allowance, passing the schema and checks', () => {
    const config = factory.createDefaultConfig();
    assert.deepEqual(schemaErrors(factory.configSchema, config, 'memory_limiter'), []);
    assert.deepEqual(factory.validate(config), []);
    assert.deepEqual(memoryLimits(config, 1000 * MIB), { hardBytes: 800 * MIB, softBytes: 600 * MIB });
  });

  it('drops the default percentages when the user writes a limit in mebibytes', () => {
    const config = merged({ check_interval: '5s', limit_mib: 4000, spike_limit_mib: 800 });
    assert.deepEqual(factory.validate(config), []);
    assert.equal(config.limit_percentage, 0);
    assert.deepEqual(memoryLimits(config, 0), { hardBytes: 4000 * MIB, softBytes: 3200 * MIB });
  });

  it('takes 20% of the limit as the spike when no spike limit is written, as the Collector does', () => {
    assert.deepEqual(memoryLimits(merged({ limit_mib: 1000 }), 0), { hardBytes: 1000 * MIB, softBytes: 800 * MIB });
    assert.deepEqual(memoryLimits(merged({ limit_percentage: 50 }), 1000 * MIB), { hardBytes: 500 * MIB, softBytes: 400 * MIB });
  });

  it('reports the Collector\'s validation errors, each at its key', () => {
    assert.deepEqual(problemsOf({ check_interval: 0, limit_mib: 100 }), ['check_interval: must be greater than zero']);
    assert.deepEqual(problemsOf({ spike_limit_mib: 10 }), ["limit_mib: 'limit_mib' or 'limit_percentage' must be greater than zero"]);
    assert.deepEqual(problemsOf({ limit_mib: 100, spike_limit_mib: 100 }), ["spike_limit_mib: must be smaller than 'limit_mib'"]);
    assert.deepEqual(problemsOf({ limit_percentage: 50, spike_limit_percentage: 60 }),
      ["spike_limit_percentage: must be smaller than 'limit_percentage'"]);
    assert.match(problemsOf({ limit_mib: 100, limit_percentage: 50 })[0]!, /^limit_mib: set the limit either in mebibytes/);
    assert.match(problemsOf({ limit_mib: 100, spike_limit_percentage: 10 })[0]!, /not both/);
    assert.deepEqual(problemsOf({ limit_mib: 100, min_gc_interval_when_soft_limited: '1s', min_gc_interval_when_hard_limited: '2s' }),
      ["min_gc_interval_when_soft_limited: should be larger than 'min_gc_interval_when_hard_limited'"]);
  });

  it('refuses percentages above 100 and a check_interval without a unit', () => {
    assert.ok(schemaErrors(factory.configSchema, merged({ limit_percentage: 101 }), 'memory_limiter').length > 0);
    assert.ok(schemaErrors(factory.configSchema, merged({ check_interval: 5 }), 'memory_limiter').length > 0);
  });
});
