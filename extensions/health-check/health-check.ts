import { createServer, type Server } from 'node:http';
import type { Component, CreateSettings, ServiceWatcher } from '../../pipeline/component.ts';
import { parseEndpoint } from '../../pipeline/endpoint.ts';
import { boundPort, closeHttp, listenHttp } from '../../pipeline/http-listener.ts';
import type { HealthCheckConfig } from './config.ts';

/**
 * GET <path> answers 200 once every component of the service has started and 503 before that and from the
 * moment shutdown begins, with the Collector's JSON body, so load balancers and orchestrators can use it
 * for any pipeline (a gateway has no Tempo API and so no /ready).
 */
export class HealthCheck implements Component, ServiceWatcher {
  readonly #settings: CreateSettings;
  readonly #config: HealthCheckConfig;
  #server: Server | undefined;
  #upSince: Date | undefined;
  #stopped: Promise<void> | undefined;

  constructor(settings: CreateSettings, config: HealthCheckConfig) {
    this.#settings = settings;
    this.#config = config;
  }

  async start(): Promise<void> {
    const endpoint = parseEndpoint(this.#config.endpoint);
    this.#server = createServer((req, res) => {
      if (req.url?.split('?')[0] !== this.#config.path) {
        res.writeHead(404).end();
        return;
      }
      const up = this.#upSince;
      const body = up === undefined
        ? { status: 'Server not available', upSince: '0001-01-01T00:00:00Z', uptime: '' }
        : { status: 'Server available', upSince: up.toISOString(), uptime: `${((Date.now() - up.getTime()) / 1000).toFixed(3)}s` };
      res.writeHead(up === undefined ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await listenHttp(this.#server, endpoint);
    this.#settings.logger.info({ endpoint: this.#config.endpoint, port: this.port(), path: this.#config.path }, 'health check listening');
  }

  serviceReady(): void {
    this.#upSince = new Date();
  }

  serviceStopping(): void {
    this.#upSince = undefined;
  }

  /** The bound port (the actual one when configured as 0). */
  port(): number {
    const configured = parseEndpoint(this.#config.endpoint).port;
    return this.#server === undefined ? configured : boundPort(this.#server, configured);
  }

  shutdown(): Promise<void> {
    this.#stopped ??= this.#server === undefined ? Promise.resolve() : closeHttp(this.#server);
    return this.#stopped;
  }
}
