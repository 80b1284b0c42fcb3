import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ApiServer } from '../../backend/api/api-server.ts';
import { querierSearchRoutes } from '../../backend/api/querier-search-handlers.ts';
import { searchHandler } from '../../backend/api/search-handler.ts';
import { forwardedTagRoutes, tagRoutes } from '../../backend/api/tag-routes.ts';
import { metricsRoutes } from '../../backend/api/metrics-routes.ts';
import { querierMetricsRoutes } from '../../backend/api/querier-metrics-handler.ts';
import { tempoRoutes } from '../../backend/api/tempo-routes.ts';
import type { QuerierLookup, TraceLookup } from '../../backend/api/trace-lookup.ts';
import type { BlockReader } from '../../backend/block/block-reader.ts';
import type { BlocklistPoller } from '../../backend/db/blocklist-poller.ts';
import type { BlockList } from '../../backend/db/block-list.ts';
import { TraceDb } from '../../backend/db/trace-db.ts';
import { QueryFrontend } from '../../backend/frontend/query-frontend.ts';
import type { BlockIdRange } from '../../backend/querier/block-id-range.ts';
import { BlockShardList } from '../../backend/querier/block-shard-list.ts';
import { BlockSearchSource } from '../../backend/querier/block-search-source.ts';
import { Querier } from '../../backend/querier/querier.ts';
import { RemoteSearchSource } from '../../backend/querier/remote-search-source.ts';
import type { SearchSource } from '../../backend/querier/search-source.ts';
import { RemoteTraceSource } from '../../backend/querier/remote-trace-source.ts';
import type { TraceSource } from '../../backend/querier/trace-source.ts';
import type { SearchService } from '../../backend/search/search-service.ts';
import { TagSearch } from '../../backend/search/tag-search.ts';
import type { TagService } from '../../backend/search/tag-service.ts';
import type { MetricsJobService } from '../../backend/metrics/metrics-job.ts';
import type { MetricsService } from '../../backend/metrics/trace-metrics.ts';
import type { SearchJobService } from '../../backend/search/search-job-service.ts';
import type { ObjectStore } from '../../backend/storage/object-store.ts';
import type { BuildInfo } from '../../pipeline/component.ts';
import { ConfigError } from '../../pipeline/errors.ts';
import { runsPipelines } from '../../pipeline/service/targets.ts';
import { objectStoreFor } from './object-store-for.ts';
import type { QueryFrontendSettings, TracelakeSettings } from './settings.ts';
import { startKafkaIngester, startWalIngester, type IngesterModule } from './ingester-modules.ts';
import { startFrontendSearch, startQuerierSearch } from './search-modules.ts';
import { startBlocklist, startBlockReader, startCompactor, type Stop } from './storage-modules.ts';

/**
 * The backend's modules, wired in one literal map as Tempo does (STYLE.md): each names the modules it
 * needs (`deps`) and those it uses when this process runs them too (`optional`), and starts from what they
 * provide, by interface. Each `--target` names the modules it needs (TARGET_MODULES); a process starts the
 * union of its targets' modules and their dependencies in dependency order, and stops them in reverse.
 *
 *   target          modules (dependencies added)                                   pipelines
 *   all             store blocklist(builder) ingester compactor block-reader querier api   yes
 *   distributor     none: a tracelake exporter in its pipelines is refused at start yes
 *   ingester        store blocklist(builder) ingester querier api                  yes
 *   querier         store blocklist(reader) block-reader querier api               no
 *   query-frontend  query-frontend api                                             no
 *     without query_frontend.querier_addresses: as querier (it queries by itself)
 *   compactor       store blocklist(builder) compactor api                         no
 *
 * - blocklist: `builder` (writes each tenant's index.json.gz) when this process writes or removes blocks
 *   (ingester, compactor); `reader` (polls index.json.gz only) otherwise.
 * - querier: trace by ID over the sources this process has, asked in parallel: its own ingester's live
 *   traces, the blocks when a block reader runs, and, when it runs no ingester, the live traces of each
 *   ingester listed in querier.ingester_addresses (over that ingester's Tempo API). An ingester-only
 *   process answers for its own live traces; a querier process finds a trace still live in another
 *   process's ingester at once when ingester_addresses lists that ingester, and otherwise once it has been
 *   flushed to a block and the next block-list poll has seen it. An unreachable or slow listed ingester
 *   makes the answer PARTIAL, not an error. It also answers query-frontend jobs
 *   (`/querier/api/traces/<id>?mode=ingesters|blocks`, blocks limited to a range of block IDs). Search
 *   (`/api/search`, and the tag routes) covers the unflushed traces of its own ingester, or else of each
 *   listed ingester (which serves them at `/ingester/api/search-candidates`), then the blocks: a search is
 *   split into jobs (search-modules.ts), block jobs run on `querier.search.workers` threads; a querier also
 *   lists its blocks and runs single jobs for a query-frontend (`/querier/api/search[/blocks]`). TraceQL
 *   metrics run in the same jobs, each giving a partial state (`/querier/api/metrics/query_range`).
 * - query-frontend: trace by ID split into jobs (the live traces, then query_frontend.query_shards ranges
 *   of block IDs) sent round robin to query_frontend.querier_addresses with bounded concurrency, a failed
 *   job retried on another querier, the parts merged; a job failing for good makes the answer PARTIAL.
 *   A search is planned over a querier's block list and its jobs run on the queriers the same way, the
 *   results combined as they come, stopping once the newest `limit` traces are known; a metrics query's
 *   jobs too, their partial states merged. It reads no storage. With no querier_addresses the target runs the querier's modules instead.
 * - api: the Tempo HTTP API. Trace and search routes when a query-frontend (which then answers them; tag
 *   requests are forwarded whole to one querier) or a querier runs, plus the querier's job routes when a
 *   querier runs; /ready, /metrics, buildinfo always (a compactor serves just those).
 */
export type ModuleName =
  'store' | 'blocklist' | 'ingester' | 'compactor' | 'block-reader' | 'querier' | 'query-frontend' | 'api';

/** What each module provides to the modules started after it. */
export interface Provided {
  readonly store: ObjectStore;
  readonly blocklist: BlocklistPoller;
  readonly ingester: IngesterModule;
  readonly compactor: undefined;
  readonly 'block-reader': BlockReader;
  /** Trace by ID, and search and tags over the same sources. */
  readonly querier: QuerierLookup & SearchService & TagService & MetricsService & SearchJobService & MetricsJobService;
  readonly 'query-frontend': TraceLookup & SearchService & MetricsService;
  readonly api: { address(): { address: string; port: number } };
}

/** The process-wide facts every module may use. */
export interface ModuleContext {
  readonly settings: TracelakeSettings;
  readonly metrics: Registry;
  readonly build: BuildInfo;
  readonly logger: (role: string) => Logger;
  /** Every module this process starts: a module adapts to its neighbours (blocklist mode). */
  readonly planned: ReadonlySet<ModuleName>;
}

export interface StartedModule<V> {
  readonly value: V;
  readonly stop: Stop;
}

export interface ModuleDef<V> {
  readonly deps: readonly ModuleName[];
  readonly optional: readonly ModuleName[];
  start(ctx: ModuleContext, got: Partial<Provided>): Promise<StartedModule<V>>;
}

/** Types `got` from the declared names: required ones present, optional ones maybe. */
function module<V, D extends ModuleName = never, O extends ModuleName = never>(
  deps: readonly D[], optional: readonly O[],
  start: (ctx: ModuleContext, got: Pick<Provided, D> & Partial<Pick<Provided, O>>) => Promise<StartedModule<V>>,
): ModuleDef<V> {
  return { deps, optional, start: (ctx, got) => start(ctx, got as Pick<Provided, D> & Partial<Pick<Provided, O>>) };
}

export const MODULES: { readonly [N in ModuleName]: ModuleDef<Provided[N]> } = {
  store: module([], [], async (ctx) => {
    const opened = objectStoreFor(ctx.settings.store);
    return { value: opened.store, stop: async () => opened.close() };
  }),
  blocklist: module(['store'], [], async (ctx, { store }) => {
    const builds = ctx.planned.has('ingester') || ctx.planned.has('compactor');
    const { poller, stop } = await startBlocklist({ ...ctx, store }, builds ? 'builder' : 'reader');
    return { value: poller, stop };
  }),
  ingester: module(['store', 'blocklist'], [], async (ctx, { store, blocklist }) => {
    const started: IngesterModule = ctx.settings.ingest === undefined
      ? await startWalIngester(ctx, store, blocklist)
      : await startKafkaIngester(ctx, ctx.settings.ingest, store, blocklist);
    return { value: started, stop: () => started.shutdown() };
  }),
  compactor: module(['store', 'blocklist'], ['ingester'], async (ctx, { store, blocklist, ingester }) => {
    const busy = ingester === undefined ? undefined : () => ingester.busy;
    return { value: undefined, stop: startCompactor({ ...ctx, store }, blocklist.blocks, busy) };
  }),
  'block-reader': module(['store', 'blocklist'], [], async (ctx, { store, blocklist }) => {
    const { reader, stop } = startBlockReader({ ...ctx, store }, blocklist);
    return { value: reader, stop };
  }),
  querier: module(['store', 'blocklist'], ['ingester', 'block-reader'], async (ctx, got) => {
    const live: TraceSource[] = [];
    const { ingesterAddresses, ingesterTimeoutMs } = ctx.settings.querier;
    // An ingester answers for its own live traces only: with one config for every role, asking the listed
    // ingesters from an ingester would have them ask each other without end.
    if (got.ingester !== undefined) live.push(got.ingester);
    else for (const address of ingesterAddresses) live.push(new RemoteTraceSource({ address, timeoutMs: ingesterTimeoutMs }));
    const reader = got['block-reader'];
    let blocks: ((shard?: BlockIdRange) => TraceSource) | undefined;
    if (reader !== undefined) {
      const list = got.blocklist.blocks;
      const db = (b: BlockList): TraceDb => new TraceDb({ blocks: b, reader, compactedLookbackMs: 2 * ctx.settings.blocklistPollMs });
      const all = db(list);
      blocks = (shard) => (shard === undefined ? all : db(new BlockShardList(list, shard)));
    }
    const querier = new Querier({ live, blocks, logger: ctx.logger('querier') });
    // Search and metrics cover the unflushed traces (this process's ingester, or else those of every listed
    // ingester), then the blocks.
    const searched: SearchSource[] = got.ingester !== undefined ? [got.ingester]
      : ingesterAddresses.map((address) => new RemoteSearchSource({ address, timeoutMs: ingesterTimeoutMs, logger: ctx.logger('querier') }));
    const { search, metrics, jobs, stop } = startQuerierSearch({ settings: ctx.settings, logger: ctx.logger('querier') }, {
      live: [...searched], blocks: reader === undefined ? undefined : { list: got.blocklist.blocks, store: got.store },
    });
    if (reader !== undefined) searched.push(new BlockSearchSource({ blocks: got.blocklist.blocks, store: got.store }));
    // Tags read the unflushed traces as search does, and the blocks by their columns (tag-blocks.ts).
    const tags = new TagSearch({
      sources: searched.filter((s) => !(s instanceof BlockSearchSource)),
      blocks: reader === undefined ? undefined : { list: got.blocklist.blocks, store: got.store },
      logger: ctx.logger('querier'),
    });
    const value: Provided['querier'] = {
      queryRange: (tenant, request, signal) => metrics.queryRange(tenant, request, signal),
      traceById: (tenant, traceId, range, options) => querier.traceById(tenant, traceId, range, options),
      search: (tenant, request, signal) => search.search(tenant, request, signal),
      searchBlockRefs: (tenant, range) => jobs.searchBlockRefs(tenant, range),
      runSearchJob: (tenant, spec, request, signal) => jobs.runSearchJob(tenant, spec, request, signal),
      runMetricsJob: (tenant, spec, work, signal) => jobs.runMetricsJob(tenant, spec, work, signal),
      tagNames: (tenant, scan, signal) => tags.tagNames(tenant, scan, signal),
      tagValues: (tenant, field, scan, signal) => tags.tagValues(tenant, field, scan, signal),
    };
    return { value, stop };
  }),
  'query-frontend': module([], [], async (ctx) => {
    const settings = ctx.settings.queryFrontend;
    if (settings.querierAddresses.length === 0) throw new ConfigError('the query-frontend module needs query_frontend.querier_addresses');
    const frontend = new QueryFrontend({ ...settings, logger: ctx.logger('query-frontend') });
    const { search, metrics, stop } = startFrontendSearch({ settings: ctx.settings, logger: ctx.logger('query-frontend') });
    const value: Provided['query-frontend'] = {
      traceById: (tenant, traceId, range) => frontend.traceById(tenant, traceId, range),
      search: (tenant, request, signal) => search.search(tenant, request, signal),
      queryRange: (tenant, request, signal) => metrics.queryRange(tenant, request, signal),
    };
    return {
      value,
      stop: async () => {
        frontend.stop();
        await stop();
      },
    };
  }),
  api: module([], ['ingester', 'querier', 'query-frontend'], async (ctx, { ingester, querier, 'query-frontend': frontend }) => {
    let ready = false;
    const lookup = frontend ?? querier;
    const routes = tempoRoutes({
      lookup: lookup ?? { traceById: async () => undefined },
      querier,
      ingester,
      search: frontend === undefined && querier === undefined ? undefined
        : (tenantOf) => searchHandler({ search: (frontend ?? querier)!, tenantOf, defaultLimit: ctx.settings.queryFrontend.search.defaultResultLimit }),
      searchJobs: querier === undefined ? undefined
        : (tenantOf) => [
          ...querierSearchRoutes({ jobs: querier, tenantOf, timeoutMs: ctx.settings.queryFrontend.search.queryTimeoutMs }),
          ...querierMetricsRoutes({ jobs: querier, tenantOf, timeoutMs: ctx.settings.queryFrontend.search.queryTimeoutMs }),
        ],
      tags: frontend !== undefined
        ? (tenantOf) => forwardedTagRoutes({
          querierAddresses: ctx.settings.queryFrontend.querierAddresses, timeoutMs: ctx.settings.queryFrontend.querierTimeoutMs, tenantOf,
        })
        : querier === undefined ? undefined : (tenantOf) => tagRoutes({ tags: querier, tenantOf }),
      traceqlMetrics: frontend === undefined && querier === undefined ? undefined
        : (tenantOf) => metricsRoutes({ metrics: (frontend ?? querier)!, tenantOf }),
      multitenancy: ctx.settings.multitenancy,
      isReady: () => ready,
      build: ctx.build,
      metrics: ctx.metrics,
    });
    const api = new ApiServer({
      listenAddress: ctx.settings.listenAddress,
      port: ctx.settings.port,
      routes: lookup === undefined ? routes.filter((r) => !r.path.includes('/traces/')) : routes,
      logger: ctx.logger('api'),
      metrics: ctx.metrics,
    });
    await api.start();
    // Last in every plan (it depends on nothing after it in MODULES), so ready means everything is up.
    ready = true;
    return {
      value: api,
      stop: async () => {
        ready = false;
        await api.stop();
      },
    };
  }),
};

/** The modules each target needs; dependencies are added by planModules. */
export const TARGET_MODULES: { readonly [target: string]: readonly ModuleName[] } = {
  all: ['ingester', 'compactor', 'block-reader', 'querier', 'api'],
  distributor: [],
  ingester: ['ingester', 'querier', 'api'],
  querier: ['block-reader', 'querier', 'api'],
  'query-frontend': ['query-frontend', 'api'],
  compactor: ['compactor', 'api'],
};

/** The modules of one target; a query-frontend with no querier to send jobs to queries by itself, as a querier. */
function targetModules(target: string, settings?: { readonly queryFrontend: Pick<QueryFrontendSettings, 'querierAddresses'> }): readonly ModuleName[] | undefined {
  const sendsJobs = (settings?.queryFrontend.querierAddresses.length ?? 0) > 0;
  return target === 'query-frontend' && !sendsJobs ? TARGET_MODULES['querier'] : TARGET_MODULES[target];
}

/**
 * The modules to start for `targets` (`settings` decides the query-frontend's, see targetModules), in
 * dependency order (a module after everything it needs or optionally uses, ties in MODULES order). Throws
 * ConfigError for an unknown target, and when the targets run the pipelines (which feed this exporter) but
 * no ingester would take their data.
 */
export function planModules(
  targets: readonly string[], settings?: Pick<TracelakeSettings, 'ingest'> & { readonly queryFrontend: Pick<QueryFrontendSettings, 'querierAddresses'> },
): ModuleName[] {
  const wanted = new Set<ModuleName>();
  const add = (name: ModuleName): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of MODULES[name].deps) add(dep);
  };
  for (const target of targets) {
    const names = targetModules(target, settings);
    if (names === undefined) throw new ConfigError(`unknown target '${target}'`);
    for (const name of names) add(name);
  }
  if (settings?.ingest !== undefined && runsPipelines(targets, true)) {
    throw new ConfigError(
      `ingest.enabled: the ingester consumes Kafka, so no pipeline of this process may feed it, but target ${targets.join(',')} ` +
      'runs the pipelines: run the ingester as --target ingester (with querier, compactor… as needed) and the ' +
      'distributors, which send to Kafka with the kafka exporter, in their own processes',
    );
  }
  if (runsPipelines(targets) && !wanted.has('ingester')) {
    throw new ConfigError(
      `the pipelines feed the tracelake exporter, but target ${targets.join(',')} runs no ingester to take ` +
      'their data: add the ingester target, or send to another exporter (kafka) in this process',
    );
  }
  const ordered: ModuleName[] = [];
  const visit = (name: ModuleName): void => {
    if (ordered.includes(name)) return;
    const def = MODULES[name];
    for (const dep of [...def.deps, ...def.optional.filter((o) => wanted.has(o))]) visit(dep);
    ordered.push(name);
  };
  for (const name of Object.keys(MODULES) as ModuleName[]) if (wanted.has(name)) visit(name);
  return ordered;
}
