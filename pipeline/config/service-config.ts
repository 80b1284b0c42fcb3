import type { ComponentKind } from '../component.ts';
import type { LOG_LEVELS, METRICS_LEVELS } from './top-level-schema.ts';

/** A validated, deeply frozen pipelines.yaml. Plain data: factories are looked up again when building. */
export interface ServiceConfig {
  /** The file it was loaded from, as given. */
  readonly file: string;
  readonly receivers: ComponentConfigs;
  readonly processors: ComponentConfigs;
  readonly exporters: ComponentConfigs;
  readonly extensions: ComponentConfigs;
  readonly service: {
    /** Ids of the extensions to run. */
    readonly extensions: readonly string[];
    readonly pipelines: Readonly<Record<string, PipelineConfig>>;
    readonly telemetry: TelemetryConfig;
  };
}

export type ComponentConfigs = Readonly<Record<string, ComponentConfig>>;

export interface ComponentConfig {
  readonly kind: ComponentKind;
  /** `type` or `type/name`. */
  readonly id: string;
  readonly type: string;
  /** createDefaultConfig() with the user's values merged in; passed its schema and validate(). */
  readonly config: unknown;
}

export interface PipelineConfig {
  /** `traces` or `traces/<name>`. */
  readonly id: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

export type LogLevel = (typeof LOG_LEVELS)[number];
export type MetricsLevel = (typeof METRICS_LEVELS)[number];

export interface TelemetryConfig {
  /** Default `info`. */
  readonly logs: { readonly level: LogLevel };
  /** Default level `normal`; `address` (host:port) serves /metrics there too, when set. */
  readonly metrics: { readonly level: MetricsLevel; readonly address?: string };
}
