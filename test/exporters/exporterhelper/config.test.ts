import assert from 'node:assert/strict';
import {
  createDefaultExporterHelperConfig, exporterHelperSchemaProperties,
} from '../../../exporters/exporterhelper/config.ts';
import { exporterHelperConfigProblems, resolveExporterHelperSettings } from '../../../exporters/exporterhelper/settings.ts';
import { schemaErrors } from '../../../pipeline/config/schema-validator.ts';

const schema = { type: 'object', additionalProperties: false, properties: exporterHelperSchemaProperties };

describe('exporterhelper config', () => {
  it('defaults to the Collector\'s values, except the queue, which is off', () => {
    const config = createDefaultExporterHelperConfig();
    assert.deepEqual(schemaErrors(schema, config, 'test'), []);
    assert.deepEqual(resolveExporterHelperSettings(config), {
      timeoutMs: 5000,
      retry: {
        enabled: true, initialIntervalMs: 5000, randomizationFactor: 0.5, multiplier: 1.5, maxIntervalMs: 30000,
        maxElapsedMs: 300000,
      },
      queue: { enabled: false, numConsumers: 10, queueSize: 1000 },
    });
  });

  it('refuses unknown keys, a randomization_factor above 1 and an empty queue', () => {
    const config = createDefaultExporterHelperConfig();
    const bad = {
      ...config,
      retry_on_failure: { ...config.retry_on_failure, randomization_factor: 2, jitter: true },
      sending_queue: { ...config.sending_queue, queue_size: 0 },
    };
    const paths = schemaErrors(schema, bad, 'test').map((e) => `${e.instancePath} ${e.keyword}`);
    assert.ok(paths.includes('/retry_on_failure additionalProperties'), paths.join('; '));
    assert.ok(paths.includes('/retry_on_failure/randomization_factor maximum'), paths.join('; '));
    assert.ok(paths.includes('/sending_queue/queue_size minimum'), paths.join('; '));
  });

  it('reports a max_elapsed_time shorter than max_interval at its key', () => {
    const config = createDefaultExporterHelperConfig();
    config.retry_on_failure.max_elapsed_time = '10s';
    assert.deepEqual(exporterHelperConfigProblems(config), ['retry_on_failure.max_elapsed_time: must not be less than max_interval']);
    config.retry_on_failure.enabled = false;
    assert.deepEqual(exporterHelperConfigProblems(config), []);
  });
});
