import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BoundServer } from './bound-server.ts';
import { formatEndpoint } from '../../pipeline/endpoint.ts';
import { exportStatusOf } from './export-status.ts';
import { decodeContent, readBody } from './http-body.ts';
import { replyExport, replyStatus, replyText, requestMediaOf, type RequestMedia } from './http-reply.ts';
import type { HttpSettings } from './settings.ts';
import type { TraceExport } from './trace-export.ts';

export interface HttpServerOptions {
  readonly settings: HttpSettings;
  readonly exporter: TraceExport;
  readonly logger: Logger;
}

/** OTLP/HTTP: `POST <traces_url_path>` with protobuf or JSON, optionally compressed. */
export async function startHttpServer(options: HttpServerOptions): Promise<BoundServer> {
  const receiver = new HttpTraceServer(options);
  return receiver.listen();
}

class HttpTraceServer {
  readonly #settings: HttpSettings;
  readonly #exporter: TraceExport;
  readonly #logger: Logger;
  readonly #server: Server;
  #inFlight = 0;
  #closing = false;

  constructor(options: HttpServerOptions) {
    this.#settings = options.settings;
    this.#exporter = options.exporter;
    this.#logger = options.logger;
    const { requestTimeoutMs, headersTimeoutMs } = options.settings;
    this.#server = createServer({
      keepAliveTimeout: options.settings.idleTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node refuses a headers timeout longer than the whole-request timeout.
      headersTimeout: requestTimeoutMs > 0 ? Math.min(headersTimeoutMs, requestTimeoutMs) : headersTimeoutMs,
    }, (req, res) => {
      this.#inFlight++;
      res.once('close', () => this.#requestDone());
      this.#handle(req, res).catch((err: unknown) => {
        // Only a bug in a reply path gets here; the socket is all that is left to release.
        this.#logger.error({ err }, 'request handler failed');
        res.destroy();
      });
    });
  }

  async listen(): Promise<BoundServer> {
    const { host, port } = this.#settings.endpoint;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ host: host === '' ? undefined : host, port }, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as AddressInfo;
    return { endpoint: formatEndpoint(address.address, address.port), close: () => this.#close() };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(this.#settings.responseHeaders)) res.setHeader(name, value);
    const path = req.url === undefined ? '' : req.url.split('?', 1)[0]!;
    if (path !== this.#settings.tracesPath) {
      this.#prepareReply(req, res);
      replyText(res, 404, '404 page not found');
      return;
    }
    if (req.method !== 'POST') {
      this.#prepareReply(req, res);
      res.setHeader('Allow', 'POST');
      replyText(res, 405, `${req.method} method not allowed, supported: [POST]`);
      return;
    }
    const media = requestMediaOf(req.headers['content-type']);
    if (media === undefined) {
      this.#prepareReply(req, res);
      replyText(res, 415, `${req.headers['content-type'] ?? 'missing Content-Type'}: unsupported media type, `
        + 'supported: [application/json, application/x-protobuf]');
      return;
    }
    await this.#export(req, res, media);
  }

  async #export(req: IncomingMessage, res: ServerResponse, media: RequestMedia): Promise<void> {
    const limit = this.#settings.maxBodyBytes;
    try {
      const raw = await readBody(req, limit);
      const body = await decodeContent(raw, req.headers['content-encoding'], limit);
      const tenant = req.headers['x-scope-orgid'];
      const result = await this.#exporter.export({
        body, format: media.format, tenant: typeof tenant === 'string' && tenant !== '' ? tenant : undefined,
        transport: 'http',
      });
      this.#prepareReply(req, res);
      replyExport(res, media, result);
    } catch (err) {
      this.#logger.debug({ err, transport: 'http' }, 'export refused');
      this.#prepareReply(req, res);
      replyStatus(res, media, exportStatusOf(err));
    }
  }

  /** Closes the connection after replying when the body was not read, while shutting down, or by config. */
  #prepareReply(req: IncomingMessage, res: ServerResponse): void {
    if (this.#closing || !req.complete || !this.#settings.keepAlive) res.setHeader('Connection', 'close');
  }

  #requestDone(): void {
    this.#inFlight--;
    if (this.#closing && this.#inFlight === 0) this.#server.closeIdleConnections();
  }

  #close(): Promise<void> {
    this.#closing = true;
    return new Promise<void>((resolve, reject) => {
      this.#server.close((err) => (err === undefined ? resolve() : reject(err)));
      this.#server.closeIdleConnections();
    });
  }
}
