import type { ReceiverFactory } from '../../pipeline/component.ts';
import { deepMerge, isPlainObject } from '../../pipeline/config/deep-merge.ts';
import { createDefaultOtlpReceiverConfig, otlpReceiverConfigSchema, type OtlpReceiverConfig } from './config.ts';
import { parseEndpoint } from '../../pipeline/endpoint.ts';
import { OtlpReceiver } from './otlp-receiver.ts';
import { resolveOtlpReceiverSettings } from './settings.ts';

export const otlpReceiverFactory = Object.freeze({
  kind: 'receiver',
  type: 'otlp',
  configSchema: otlpReceiverConfigSchema,
  createDefaultConfig: createDefaultOtlpReceiverConfig,

  /**
   * The Collector's rule that a generic merge cannot express: a protocol the user left out is disabled,
   * even though the defaults hold both. For a config loader that merges user config over the defaults.
   */
  mergeConfig(defaults: OtlpReceiverConfig, user: unknown): OtlpReceiverConfig {
    const merged = deepMerge(defaults, user) as OtlpReceiverConfig;
    const written = isPlainObject(user) && isPlainObject(user.protocols) ? user.protocols : {};
    for (const protocol of ['grpc', 'http'] as const) {
      if (!(protocol in written) && isPlainObject(merged.protocols)) delete merged.protocols[protocol];
    }
    return merged;
  },

  validate(config: OtlpReceiverConfig): string[] {
    const { grpc, http } = config.protocols;
    if (grpc === undefined && http === undefined) {
      return ['protocols: must specify at least one protocol when using the OTLP receiver'];
    }
    const problems: string[] = [];
    for (const [path, endpoint] of [['grpc', grpc?.endpoint], ['http', http?.endpoint]] as const) {
      try {
        if (endpoint !== undefined) parseEndpoint(endpoint);
      } catch (err) {
        problems.push(`protocols.${path}.endpoint: ${(err as Error).message}`);
      }
    }
    return problems;
  },

  createTraces(settings, config, next) {
    return new OtlpReceiver(settings, resolveOtlpReceiverSettings(config), next);
  },
} satisfies ReceiverFactory<OtlpReceiverConfig> & { mergeConfig: unknown });
