import type { Server } from 'node:http';
import type { Endpoint } from './endpoint.ts';

/** Listens on `endpoint` (an empty host = every interface); rejects with the bind error (EADDRINUSE…). */
export function listenHttp(server: Server, endpoint: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: endpoint.host === '' ? undefined : endpoint.host, port: endpoint.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The port actually bound (differs from the configured one when that was 0). */
export function boundPort(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : fallback;
}

/** Stops accepting, closes idle keep-alive connections and resolves once every request has finished. */
export function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}
