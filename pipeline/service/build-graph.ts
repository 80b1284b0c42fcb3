import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type {
  BuildInfo, ComponentKind, CreateSettings, ExporterFactory, ExtensionFactory, Factory, ProcessorFactory,
  ReceiverFactory, TracesComponent, TracesConsumer,
} from '../component.ts';
import { findFactory } from '../config/find-factory.ts';
import type { ComponentConfig, ServiceConfig } from '../config/service-config.ts';
import { ConfigError } from '../errors.ts';
import { fanOut } from '../fan-out.ts';
import type { GraphNode } from './graph-node.ts';
import { BACKEND_EXPORTER_TYPE, consumesKafka, runsPipelines } from './targets.ts';

export interface GraphOptions {
  readonly factories: readonly Factory[];
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly build: BuildInfo;
  /** `--target` roles, handed to every component (CreateSettings.targets); undefined means `all`. */
  readonly targets?: readonly string[];
}

/** Every instance, grouped in start order: extensions, exporters, processors (downstream-first), receivers. */
export interface Graph {
  readonly extensions: readonly GraphNode[];
  readonly exporters: readonly GraphNode[];
  readonly processors: readonly GraphNode[];
  readonly receivers: readonly GraphNode[];
}

/**
 * As the Collector builds it: one exporter instance per id shared by the pipelines listing it, processors
 * per pipeline, one receiver instance per id fanning out to each of its pipelines. Only components a
 * pipeline (or service.extensions) uses are created.
 *
 * A process whose targets take no data in (querier, query-frontend, compactor, and an ingester that consumes
 * Kafka itself: see targets.ts) runs no pipelines: it builds only the backend exporters the pipelines list, which start the storage modules of
 * those targets, and no receivers or processors.
 */
export function buildGraph(config: ServiceConfig, options: GraphOptions): Graph {
  const pipelines = Object.values(config.service.pipelines);
  const create = creator(options);
  const kafkaIngest = Object.values(config.exporters).some((c) => c.type === BACKEND_EXPORTER_TYPE && consumesKafka(c.config));
  if (!runsPipelines(options.targets, kafkaIngest)) return backendOnly(config, options, create);
  const exporters = new Map<string, GraphNode & { component: TracesComponent }>();
  for (const id of unique(pipelines.flatMap((p) => p.exporters))) {
    const c = config.exporters[id]!;
    exporters.set(id, create(c, (f: ExporterFactory, s) => f.createTraces(s, c.config)));
  }
  const processors: GraphNode[] = [];
  const heads = new Map<string, TracesConsumer>();
  for (const p of pipelines) {
    let next: TracesConsumer = fanOut(p.exporters.map((id) => exporters.get(id)!.component));
    for (const id of [...p.processors].reverse()) {
      const c = config.processors[id]!;
      const node = create(c, (f: ProcessorFactory, s) => f.createTraces(s, c.config, next), p.id);
      processors.push(node);
      next = node.component;
    }
    heads.set(p.id, next);
  }
  const receivers = unique(pipelines.flatMap((p) => p.receivers)).map((id) => {
    const c = config.receivers[id]!;
    const next = fanOut(pipelines.filter((p) => p.receivers.includes(id)).map((p) => heads.get(p.id)!));
    return create(c, (f: ReceiverFactory, s) => f.createTraces(s, c.config, next));
  });
  const extensions = config.service.extensions.map((id) => {
    const c = config.extensions[id]!;
    return create(c, (f: ExtensionFactory, s) => f.create(s, c.config));
  });
  return { extensions, exporters: [...exporters.values()], processors, receivers };
}

function backendOnly(config: ServiceConfig, options: GraphOptions, create: ReturnType<typeof creator>): Graph {
  const ids = unique(Object.values(config.service.pipelines).flatMap((p) => p.exporters))
    .filter((id) => config.exporters[id]!.type === BACKEND_EXPORTER_TYPE);
  if (ids.length === 0) {
    throw new ConfigError(
      `target ${options.targets!.join(',')} needs a '${BACKEND_EXPORTER_TYPE}' exporter in a pipeline: ` +
      'its storage settings say where the blocks are',
    );
  }
  const exporters = ids.map((id) => {
    const c = config.exporters[id]!;
    return create(c, (f: ExporterFactory, s) => f.createTraces(s, c.config));
  });
  const extensions = config.service.extensions.map((id) => {
    const c = config.extensions[id]!;
    return create(c, (f: ExtensionFactory, s) => f.create(s, c.config));
  });
  return { extensions, exporters, processors: [], receivers: [] };
}

type Make<F, C> = (factory: F, settings: CreateSettings) => C;

function creator(options: GraphOptions) {
  return <F extends Factory, C extends GraphNode['component']>(cfg: ComponentConfig, make: Make<F, C>, pipeline?: string) => {
    const factory = findFactory(options.factories, cfg.kind, cfg.type);
    if (factory === undefined) throw new ConfigError(`no factory for ${cfg.kind} type '${cfg.type}'`);
    const fields: { kind: ComponentKind; id: string; pipeline?: string } = { kind: cfg.kind, id: cfg.id };
    if (pipeline !== undefined) fields.pipeline = pipeline;
    const logger = options.logger.child(fields);
    const settings: CreateSettings = {
      id: cfg.id, logger, metrics: options.metrics, build: options.build,
      ...(options.targets === undefined ? {} : { targets: options.targets }),
    };
    return { ...fields, logger, component: make(factory as F, settings) };
  };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
