import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Histogram, Registry } from 'prom-client';
import { histogram } from '../../pipeline/telemetry.ts';
import { errorReply, statusForError, textReply } from './replies.ts';
import { Router, type ApiResponse, type Route } from './router.ts';

export interface ApiServerOptions {
  /** '' or 0.0.0.0 = every interface. */
  readonly listenAddress: string;
  /** 0 picks a free port; read it back with address(). */
  readonly port: number;
  readonly routes: readonly Route[];
  readonly logger: Logger;
  readonly metrics: Registry;
}

/** In-flight requests get this long to finish on stop before their connections are cut. */
const DRAIN_MS = 5000;

/** A node:http server over a route table: parse the URL, route, run the handler, write its reply. */
export class ApiServer {
  readonly #options: ApiServerOptions;
  readonly #router: Router;
  readonly #server: Server;
  readonly #duration: Histogram<'route' | 'method' | 'status_code'>;
  #stopping?: Promise<void>;

  constructor(options: ApiServerOptions) {
    this.#options = options;
    this.#router = new Router(options.routes);
    this.#duration = histogram(options.metrics, 'tracelake_request_duration_seconds',
      'Time to answer an HTTP API request.',
      { labelNames: ['route', 'method', 'status_code'], buckets: [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10] });
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => this.#options.logger.error({ err }, 'api reply failed'));
    });
  }

  async start(): Promise<void> {
    const { listenAddress, port, logger } = this.#options;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, listenAddress === '' ? undefined : listenAddress, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    logger.info(this.address(), 'api server listening');
  }

  /** Where the server listens; valid after start(). */
  address(): { address: string; port: number } {
    const info = this.#server.address() as AddressInfo | null;
    return { address: info?.address ?? '', port: info?.port ?? 0 };
  }

  /** Idempotent: stops accepting, lets in-flight requests finish (cut after DRAIN_MS). */
  stop(): Promise<void> {
    this.#stopping ??= this.#close();
    return this.#stopping;
  }

  async #close(): Promise<void> {
    if (!this.#server.listening) return;
    const cut = setTimeout(() => this.#server.closeAllConnections(), DRAIN_MS).unref();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    clearTimeout(cut);
    this.#options.logger.info('api server stopped');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    let route = 'unmatched';
    let reply: ApiResponse;
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    try {
      const match = this.#router.match(q < 0 ? url : url.slice(0, q));
      if (match === undefined) {
        reply = textReply(404, '404 page not found');
      } else if (req.method !== 'GET') {
        route = match.route.path;
        reply = { ...textReply(405, 'method not allowed'), headers: { allow: 'GET' } };
      } else {
        route = match.route.path;
        reply = await match.route.handler({ params: match.params, query, headers: req.headers, signal: gone.signal });
      }
    } catch (err) {
      if (statusForError(err) >= 500 && !gone.signal.aborted) this.#options.logger.error({ err, route }, 'api request failed');
      reply = errorReply(err);
    }
    writeReply(res, reply);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.#duration.observe({ route, method: req.method ?? '', status_code: String(reply.status) }, seconds);
  }
}

function writeReply(res: ServerResponse, reply: ApiResponse): void {
  const body = reply.body ?? '';
  const headers: Record<string, string | number> = { ...reply.headers, 'content-length': Buffer.byteLength(body) };
  if (reply.contentType !== undefined) headers['content-type'] = reply.contentType;
  if (reply.contentType?.startsWith('text/')) headers['x-content-type-options'] = 'nosniff';
  res.writeHead(reply.status, headers);
  res.end(body);
}
