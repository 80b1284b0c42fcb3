import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Component } from '../component.ts';
import { parseEndpoint } from '../endpoint.ts';
import { boundPort, closeHttp, listenHttp } from '../http-listener.ts';

/** service.telemetry.metrics.address: GET /metrics in Prometheus text format from the shared registry. */
export function createMetricsServer(address: string, registry: Registry): Component & { port(): number } {
  const endpoint = parseEndpoint(address);
  let server: Server | undefined;
  let closing: Promise<void> | undefined;
  return {
    async start() {
      server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
          (err: unknown) => res.writeHead(500).end(String(err)),
        );
      });
      await listenHttp(server, endpoint);
    },
    port() {
      return server === undefined ? endpoint.port : boundPort(server, endpoint.port);
    },
    shutdown() {
      closing ??= server === undefined ? Promise.resolve() : closeHttp(server);
      return closing;
    },
  };
}
