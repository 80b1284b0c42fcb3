import type { Component, CreateSettings, Host, TracesConsumer } from '../../pipeline/component.ts';
import type { BoundServer } from './bound-server.ts';
import { startGrpcServer } from './grpc-server.ts';
import { startHttpServer } from './http-server.ts';
import type { OtlpReceiverSettings } from './settings.ts';
import { TraceExport } from './trace-export.ts';

/** The endpoints a started receiver listens on; a protocol that is not enabled is absent. */
export interface OtlpEndpoints {
  readonly grpc?: string;
  readonly http?: string;
}

export class OtlpReceiver implements Component {
  readonly #settings: CreateSettings;
  readonly #protocols: OtlpReceiverSettings;
  readonly #exporter: TraceExport;
  #grpc: BoundServer | undefined;
  #http: BoundServer | undefined;
  #stopped: Promise<void> | undefined;

  constructor(settings: CreateSettings, protocols: OtlpReceiverSettings, next: TracesConsumer) {
    this.#settings = settings;
    this.#protocols = protocols;
    this.#exporter = new TraceExport(settings, next);
  }

  async start(_host: Host): Promise<void> {
    const { logger } = this.#settings;
    const { grpc, http } = this.#protocols;
    try {
      if (grpc !== undefined) this.#grpc = await startGrpcServer({ settings: grpc, exporter: this.#exporter, logger });
      if (http !== undefined) this.#http = await startHttpServer({ settings: http, exporter: this.#exporter, logger });
    } catch (err) {
      await this.#closeServers().catch((closeErr: unknown) => {
        logger.warn({ err: closeErr }, 'closing after a failed start failed');
      });
      throw err;
    }
    logger.info({ grpc: this.#grpc?.endpoint, http: this.#http?.endpoint }, 'receiver listening');
  }

  /** Where the receiver listens; with port 0 in the config, the ports actually bound. */
  endpoints(): OtlpEndpoints {
    return { grpc: this.#grpc?.endpoint, http: this.#http?.endpoint };
  }

  shutdown(): Promise<void> {
    this.#stopped ??= this.#closeServers();
    return this.#stopped;
  }

  async #closeServers(): Promise<void> {
    const servers = [this.#grpc, this.#http].filter((s) => s !== undefined);
    this.#grpc = undefined;
    this.#http = undefined;
    const results = await Promise.allSettled(servers.map((s) => s.close()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
