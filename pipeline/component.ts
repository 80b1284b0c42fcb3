import type { JSONSchemaType } from 'ajv';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TraceBatch } from './trace-batch.ts';

/** What travels with a batch besides its spans. */
export interface RequestContext {
  /** Value of X-Scope-OrgID (HTTP header or gRPC metadata), when the client sent one. */
  readonly tenant?: string;
}

/** Everything downstream of a receiver is a consumer. Resolving means the data is safely handed on. */
export interface TracesConsumer {
  consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void>;
}

/** Services a running component may use; given at start. */
export interface Host {
  /** Aborted when the service begins to shut down; long loops watch it. */
  readonly signal: AbortSignal;
}

export interface Component {
  start(host: Host): Promise<void>;
  /** Idempotent: drains in-flight data, then releases every resource. */
  shutdown(): Promise<void>;
}

export interface TracesComponent extends Component, TracesConsumer {}

/**
 * A component that wants to know when the whole service is up and when it begins to go down: the
 * Collector's status watching, reduced to what a health check needs.
 */
export interface ServiceWatcher {
  /** Every component has started. */
  serviceReady(): void;
  /** Shutdown has begun; called before any component is stopped. */
  serviceStopping(): void;
}

export function isServiceWatcher(component: Component): component is Component & ServiceWatcher {
  const c = component as Partial<ServiceWatcher>;
  return typeof c.serviceReady === 'function' && typeof c.serviceStopping === 'function';
}

/** Given to every factory's create function. */
export interface CreateSettings {
  /** Component id as written in the config, `type` or `type/name`. */
  readonly id: string;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** Process-wide facts: version, start time. */
  readonly build: BuildInfo;
  /** The roles this process runs (`--target`, pipeline/service/targets.ts); undefined means `all`. */
  readonly targets?: readonly string[];
}

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly goVersion: string;
}

export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'extension';

interface FactoryBase<C> {
  readonly type: string;
  readonly configSchema: JSONSchemaType<C> | object;
  /** Pure: a fresh default config each call. */
  createDefaultConfig(): C;
  /** Cross-field checks after the schema passed; each string is one problem. */
  validate?(config: C): string[];
  /** How the user's config overrides the defaults, when a plain deep merge is not what the Collector does. */
  mergeConfig?(defaults: C, user: unknown): C;
}

export interface ReceiverFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'receiver';
  createTraces(settings: CreateSettings, config: C, next: TracesConsumer): Component;
}

export interface ProcessorFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'processor';
  createTraces(settings: CreateSettings, config: C, next: TracesConsumer): TracesComponent;
}

export interface ExporterFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'exporter';
  createTraces(settings: CreateSettings, config: C): TracesComponent;
}

export interface ExtensionFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'extension';
  create(settings: CreateSettings, config: C): Component;
}

export type Factory = ReceiverFactory | ProcessorFactory | ExporterFactory | ExtensionFactory;
