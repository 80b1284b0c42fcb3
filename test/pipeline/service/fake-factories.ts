import type {
  Component, ExporterFactory, ExtensionFactory, Factory, ProcessorFactory, ReceiverFactory, RequestContext,
  ServiceWatcher, TracesComponent, TracesConsumer,
} from '../../../pipeline/component.ts';
import { bytesSchema, durationSchema } from '../../../pipeline/config/units.ts';
import type { TraceBatch } from '../../../pipeline/trace-batch.ts';

/** What the fake components did, in order, plus handles on the running instances. */
export interface Journal {
  readonly events: string[];
  /** Receiver id → its downstream consumer, so a test can push batches in. */
  readonly receivers: Map<string, TracesConsumer>;
  /** Exporter id → batches it received, with the tenant. */
  readonly exported: Map<string, { batch: TraceBatch; tenant?: string }[]>;
}

export function newJournal(): Journal {
  return { events: [], receivers: new Map(), exported: new Map() };
}

interface FakeOptions { fail_start: boolean; fail_shutdown?: boolean }

function lifecycle(journal: Journal, label: string, options: FakeOptions): Component {
  let stopped = false;
  return {
    async start() {
      await Promise.resolve();
      if (options.fail_start) throw new Error(`${label} refuses to start`);
      journal.events.push(`start ${label}`);
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      journal.events.push(`shutdown ${label}`);
      if (options.fail_shutdown === true) throw new Error(`${label} failed to drain`);
    },
  };
}

export interface FakeReceiverConfig extends FakeOptions { endpoint: string }

export function fakeReceiverFactory(journal: Journal): ReceiverFactory<FakeReceiverConfig> {
  return Object.freeze<ReceiverFactory<FakeReceiverConfig>>({
    kind: 'receiver',
    type: 'fakerx',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['endpoint'],
      properties: { endpoint: { type: 'string', minLength: 1 }, fail_start: { type: 'boolean' }, fail_shutdown: { type: 'boolean' } },
    },
    createDefaultConfig: () => ({ endpoint: 'localhost:4317', fail_start: false }),
    createTraces(settings, config, next) {
      journal.receivers.set(settings.id, next);
      return lifecycle(journal, `receiver ${settings.id}`, config);
    },
  });
}

export interface FakeProcessorConfig extends FakeOptions { tag: string }

export function fakeProcessorFactory(journal: Journal): ProcessorFactory<FakeProcessorConfig> {
  return Object.freeze<ProcessorFactory<FakeProcessorConfig>>({
    kind: 'processor',
    type: 'fakeproc',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { tag: { type: 'string' }, fail_start: { type: 'boolean' } },
    },
    createDefaultConfig: () => ({ tag: '', fail_start: false }),
    createTraces(settings, config, next): TracesComponent {
      const label = `processor ${settings.id}@${String(settings.logger.bindings().pipeline)}`;
      return {
        ...lifecycle(journal, label, config),
        consumeTraces(batch: TraceBatch, ctx: RequestContext) {
          journal.events.push(`consume ${label}`);
          return next.consumeTraces(batch, ctx);
        },
      };
    },
  });
}

export interface FakeStoreConfig extends FakeOptions {
  server: { http_listen_port: number };
  ingester: { trace_idle_period: string | number; max_block_bytes: string | number; max_traces: number; min_traces: number };
  storage: { backend: 'local' | 's3'; path: string };
  tenants: { id: string; limit?: number }[];
  reject: boolean;
}

const storeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fail_start: { type: 'boolean' },
    fail_shutdown: { type: 'boolean' },
    reject: { type: 'boolean' },
    server: { type: 'object', additionalProperties: false, properties: { http_listen_port: { type: 'integer', minimum: 0, maximum: 65535 } } },
    ingester: {
      type: 'object',
      additionalProperties: false,
      properties: {
        trace_idle_period: durationSchema, max_block_bytes: bytesSchema,
        max_traces: { type: 'integer', minimum: 0 }, min_traces: { type: 'integer', minimum: 0 },
      },
    },
    storage: {
      type: 'object',
      additionalProperties: false,
      required: ['backend', 'path'],
      properties: { backend: { type: 'string', enum: ['local', 's3'] }, path: { type: 'string' } },
    },
    tenants: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['id'],
        properties: { id: { type: 'string' }, limit: { type: 'integer' } },
      },
    },
  },
};

/** An exporter with a Tempo-like nested config, to exercise paths and positions. */
export function fakeStoreFactory(journal: Journal): ExporterFactory<FakeStoreConfig> {
  return Object.freeze<ExporterFactory<FakeStoreConfig>>({
    kind: 'exporter',
    type: 'fakestore',
    configSchema: storeSchema,
    createDefaultConfig: () => ({
      fail_start: false,
      reject: false,
      server: { http_listen_port: 3200 },
      ingester: { trace_idle_period: '5s', max_block_bytes: '100MiB', max_traces: 0, min_traces: 0 },
      storage: { backend: 'local', path: './data' },
      tenants: [],
    }),
    validate: (c) => (c.ingester.min_traces > c.ingester.max_traces
      ? ['ingester.min_traces: must not exceed ingester.max_traces'] : []),
    createTraces(settings, config): TracesComponent {
      const label = `exporter ${settings.id}`;
      const received: { batch: TraceBatch; tenant?: string }[] = [];
      journal.exported.set(settings.id, received);
      return {
        ...lifecycle(journal, label, config),
        async consumeTraces(batch: TraceBatch, ctx: RequestContext) {
          journal.events.push(`consume ${label}`);
          if (config.reject) throw new Error(`${label} rejects`);
          received.push(ctx.tenant === undefined ? { batch } : { batch, tenant: ctx.tenant });
        },
      };
    },
  });
}

/** An extension that journals the service's readiness changes, as a health check would see them. */
export function fakeWatcherFactory(journal: Journal): ExtensionFactory<FakeOptions> {
  return Object.freeze<ExtensionFactory<FakeOptions>>({
    kind: 'extension',
    type: 'fakewatch',
    configSchema: { type: 'object', additionalProperties: false, properties: { fail_start: { type: 'boolean' } } },
    createDefaultConfig: () => ({ fail_start: false }),
    create(settings, config): Component & ServiceWatcher {
      return {
        ...lifecycle(journal, `extension ${settings.id}`, config),
        serviceReady: () => journal.events.push('service ready'),
        serviceStopping: () => journal.events.push('service stopping'),
      };
    },
  });
}

export function fakeFactories(journal: Journal): Factory[] {
  return [fakeReceiverFactory(journal), fakeProcessorFactory(journal), fakeStoreFactory(journal), fakeWatcherFactory(journal)];
}
