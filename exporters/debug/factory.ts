import type { ExporterFactory } from '../../pipeline/component.ts';
import { DebugExporter, type Verbosity } from './debug-exporter.ts';
import { LogSampler } from './log-sampler.ts';

export interface DebugExporterConfig {
  verbosity: Verbosity;
  sampling_initial: number;
  sampling_thereafter: number;
}

export const debugExporterFactory = Object.freeze({
  kind: 'exporter',
  type: 'debug',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      verbosity: { type: 'string', enum: ['basic', 'normal', 'detailed'] },
      sampling_initial: { type: 'integer', minimum: 0 },
      sampling_thereafter: { type: 'integer', minimum: 0 },
    },
  },

  createDefaultConfig(): DebugExporterConfig {
    return { verbosity: 'basic', sampling_initial: 2, sampling_thereafter: 1 };
  },

  createTraces(settings, config) {
    const sampler = new LogSampler(config.sampling_initial, config.sampling_thereafter);
    return new DebugExporter(settings.logger, config.verbosity, sampler);
  },
} satisfies ExporterFactory<DebugExporterConfig>);
