import type { CreateSettings, ExporterFactory } from '../../pipeline/component.ts';
import {
  createDefaultTracelakeExporterConfig, tracelakeExporterConfigSchema, type TracelakeExporterConfig,
} from './config.ts';
import { resolveTracelakeSettings, tracelakeConfigProblems } from './settings.ts';
import { TracelakeExporter } from './tracelake-exporter.ts';

/** `tracelake`: the storage backend (ingester, blocks, querier, Tempo API) inside the pipeline process. */
export const tracelakeExporterFactory: ExporterFactory<TracelakeExporterConfig> = Object.freeze({
  kind: 'exporter',
  type: 'tracelake',
  configSchema: tracelakeExporterConfigSchema,
  createDefaultConfig: createDefaultTracelakeExporterConfig,
  validate: tracelakeConfigProblems,
  createTraces: (settings: CreateSettings, config: TracelakeExporterConfig) =>
    new TracelakeExporter(settings, resolveTracelakeSettings(config)),
});
