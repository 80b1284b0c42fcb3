import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Component } from '../component.ts';
import { ConfigError } from '../errors.ts';

/** host:port → listen arguments; an empty host means every interface, as in Go. */
export function splitAddress(address: string): { host?: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid address '${address}': expected host:port`);
  }
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return host === '' ? { port } : { host, port };
}

/** service.telemetry.metrics.address: GET /metrics in Prometheus text format from the shared registry. */
export function createMetricsServer(address: string, registry: Registry): Component & { port(): number } {
  const { host, port } = splitAddress(address);
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
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
    },
    port() {
      const a = server?.address();
      return typeof a === 'object' && a !== null ? a.port : port;
    },
    shutdown() {
      const s = server;
      closing ??= s === undefined ? Promise.resolve() : new Promise<void>((resolve, reject) => {
        s.close((err) => (err ? reject(err) : resolve()));
        s.closeIdleConnections();
      });
      return closing;
    },
  };
}
