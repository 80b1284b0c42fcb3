import type { Counter } from 'prom-client';
import { resolveTenant } from '../../pipeline/tenant-id.ts';
import type { CreateSettings, Host, RequestContext, TracesComponent } from '../../pipeline/component.ts';
import { PermanentError, RetryableError, UnauthorizedError } from '../../pipeline/errors.ts';
import { counter } from '../../pipeline/telemetry.ts';
import type { TraceBatch } from '../../pipeline/trace-batch.ts';
import { startBackend, type RunningBackend } from './backend-modules.ts';
import type { TracelakeSettings } from './settings.ts';

/**
 * The storage backend as a pipeline exporter: consumeTraces hands batches to the in-process ingester, and
 * the Tempo API serves them back. start() brings the backend up (block list, WAL replay, API server).
 */
export class TracelakeExporter implements TracesComponent {
  readonly #create: CreateSettings;
  readonly #settings: TracelakeSettings;
  readonly #sent: Counter<'exporter'>;
  readonly #failed: Counter<'exporter'>;
  #backend?: RunningBackend;
  #stopping?: Promise<void>;

  constructor(create: CreateSettings, settings: TracelakeSettings) {
    this.#create = create;
    this.#settings = settings;
    this.#sent = counter(create.metrics, 'tracelake_exporter_sent_spans_total',
      'Spans handed to the storage backend.', ['exporter']);
    this.#failed = counter(create.metrics, 'tracelake_exporter_send_failed_spans_total',
      'Spans the storage backend refused.', ['exporter']);
  }

  async start(_host: Host): Promise<void> {
    this.#backend = await startBackend(this.#settings, this.#create);
  }

  async consumeTraces(batch: TraceBatch, ctx: RequestContext): Promise<void> {
    const labels = { exporter: this.#create.id };
    try {
      const backend = this.#backend;
      if (backend === undefined || this.#stopping !== undefined) {
        throw new RetryableError('tracelake exporter is not running');
      }
      const tenant = this.#tenantOf(ctx);
      if (batch.spanCount > 0) await backend.push(tenant, batch);
    } catch (err) {
      this.#failed.inc(labels, batch.spanCount);
      throw err;
    }
    this.#sent.inc(labels, batch.spanCount);
  }

  /** Where the Tempo API listens (the actual port when configured as 0); undefined before start. */
  apiAddress(): { address: string; port: number } | undefined {
    return this.#backend?.apiAddress();
  }

  /** Idempotent: stops the API, then the ingester, which flushes its live traces to blocks. */
  shutdown(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    await this.#backend?.stop();
  }

  #tenantOf(ctx: RequestContext): string {
    const resolved = resolveTenant(ctx.tenant, this.#settings.multitenancy);
    if (resolved.ok) return resolved.tenant;
    throw resolved.missing ? new UnauthorizedError(resolved.message) : new PermanentError(resolved.message);
  }
}
