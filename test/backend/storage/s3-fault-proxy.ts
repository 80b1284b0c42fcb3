import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with one request: pass it on, answer an S3 error itself, drop the connection,
 * never answer, or pass it on but cut the response body off halfway.
 */
export type S3Fault = 'pass' | 500 | 503 | 'reset' | 'stall' | 'truncate';

export interface SeenRequest { readonly method: string; readonly url: string }

const ERROR_BODY: Record<500 | 503, string> = {
  500: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected fault</Message></Error>',
  503: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
};

/** An HTTP proxy in front of the S3 server that injects faults per request, for retry tests. */
export class S3FaultProxy {
  readonly #server: Server;
  readonly #target: URL;
  /** Decides each request's fault; by default, `failFirst`'s queue and then 'pass'. */
  plan: (req: SeenRequest) => S3Fault = () => this.#queue.shift() ?? 'pass';
  readonly seen: SeenRequest[] = [];
  #queue: S3Fault[] = [];

  private constructor(target: URL) {
    this.#target = target;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  static async start(target: string): Promise<S3FaultProxy> {
    const proxy = new S3FaultProxy(new URL(target));
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The next requests get these faults, in order; later ones pass. */
  failFirst(...faults: S3Fault[]): void {
    this.#queue = faults;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const seen = { method: req.method ?? '', url: req.url ?? '' };
    this.seen.push(seen);
    const fault = this.plan(seen);
    if (fault === 'pass' || fault === 'truncate') return this.#forward(req, res, fault === 'truncate');
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'stall') return void req.resume(); // read the request, never answer
    req.resume();
    req.once('end', () => {
      res.writeHead(fault, { 'content-type': 'application/xml' });
      res.end(ERROR_BODY[fault]);
    });
  }

  #forward(req: IncomingMessage, res: ServerResponse, truncate: boolean): void {
    // Host is kept as the client signed it: S3 checks the signature against the Host header it receives.
    const upstream = request({
      host: this.#target.hostname, port: this.#target.port, method: req.method, path: req.url, headers: req.headers,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!truncate) return void answer.pipe(res);
      answer.once('data', (chunk: Buffer) => {
        res.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)));
        answer.destroy();
        res.socket?.destroy();
      });
    });
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  }
}
