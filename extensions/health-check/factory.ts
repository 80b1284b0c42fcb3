import type { ExtensionFactory } from '../../pipeline/component.ts';
import {
  createDefaultHealthCheckConfig, healthCheckConfigSchema, validateHealthCheckConfig, type HealthCheckConfig,
} from './config.ts';
import { HealthCheck } from './health-check.ts';

export const healthCheckExtensionFactory = Object.freeze({
  kind: 'extension',
  type: 'health_check',
  configSchema: healthCheckConfigSchema,
  createDefaultConfig: createDefaultHealthCheckConfig,
  validate: validateHealthCheckConfig,

  create(settings, config) {
    return new HealthCheck(settings, config);
  },
} satisfies ExtensionFactory<HealthCheckConfig>);
