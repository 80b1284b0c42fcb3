import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest { readonly url: string; readonly headers: IncomingHttpHeaders }

/** A node:http stand-in for an ingester's Tempo API: `reply` answers each request; requests are recorded. */
export class FakeIngester {
  readonly seen: SeenRequest[] = [];
  readonly #server;

  constructor(reply: (res: ServerResponse) => void) {
    this.#server = createServer((req, res) => {
      this.seen.push({ url: req.url ?? '', headers: req.headers });
      reply(res);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
