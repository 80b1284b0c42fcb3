import { parseEndpoint } from '../../pipeline/endpoint.ts';

export interface HealthCheckConfig {
  /** host:port to serve on; the Collector's default. */
  endpoint: string;
  /** Path answering the check. */
  path: string;
}

export const healthCheckConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', minLength: 1 },
    path: { type: 'string', pattern: '^/', description: 'a path starting with /' },
  },
};

export function createDefaultHealthCheckConfig(): HealthCheckConfig {
  return { endpoint: '0.0.0.0:13133', path: '/' };
}

export function validateHealthCheckConfig(config: HealthCheckConfig): string[] {
  try {
    parseEndpoint(config.endpoint);
    return [];
  } catch (err) {
    return [`endpoint: ${(err as Error).message}`];
  }
}
