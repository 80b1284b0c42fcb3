import type { Logger } from 'pino';
import type { CreateSettings } from '../../pipeline/component.ts';
import { PermanentError } from '../../pipeline/errors.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { MODULES, planModules, type ModuleName, type Provided } from './modules.ts';
import type { TracelakeSettings } from './settings.ts';
import type { Stop } from './storage-modules.ts';

/** The backend roles running in this process, seen from the exporter: a way in, a way to stop. */
export interface RunningBackend {
  /** Hands a batch to the ingester; resolves once it is in the WAL. */
  push(tenant: string, batch: TraceBatch): Promise<void>;
  /** Where the Tempo API listens; undefined when this process runs no API. */
  apiAddress(): { address: string; port: number } | undefined;
  /** Stops the modules in reverse start order; the ingester flushes its live traces. */
  stop(): Promise<void>;
}

/**
 * Starts the modules this process's targets need (modules.ts: the map, the plan) in dependency order,
 * each given what its dependencies provide; on a failure, stops those already started. No targets in
 * `create` means `all`: every module in one process.
 */
export async function startBackend(settings: TracelakeSettings, create: CreateSettings): Promise<RunningBackend> {
  const targets = create.targets ?? ['all'];
  const plan = planModules(targets, settings);
  const ctx = {
    settings,
    metrics: create.metrics,
    build: create.build,
    logger: (role: string): Logger => create.logger.child({ role }),
    planned: new Set(plan),
  };
  const got: { -readonly [N in ModuleName]?: Provided[N] } = {};
  const stops: Stop[] = [];
  try {
    for (const name of plan) {
      const started = await MODULES[name].start(ctx, got);
      (got as Record<ModuleName, unknown>)[name] = started.value;
      stops.push(started.stop);
    }
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
  create.logger.info({ targets, modules: plan }, 'backend modules started');
  const { ingester, api } = got;
  return {
    push: (tenant, batch) => {
      if (ingester === undefined) {
        return Promise.reject(new PermanentError(`this process (target ${targets.join(',')}) runs no ingester`));
      }
      return ingester.push(tenant, batch);
    },
    apiAddress: () => api?.address(),
    stop: () => stopAll(stops),
  };
}

/** Reverse order; every module is stopped even if one fails, then the first failure is thrown. */
async function stopAll(stops: readonly Stop[]): Promise<void> {
  let first: unknown;
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}
