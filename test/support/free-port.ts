import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768–60999): a port the kernel hands out for port 0 can be taken by an
// outgoing connection (a Kafka client, say) between our check and the server's bind; these cannot.
const FIRST = 20000;
const COUNT = 12000;
const handedOut = new Set<number>();

/** A port nobody listens on right now, never handed out twice by this process. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    const port = FIRST + Math.floor(Math.random() * COUNT);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between ${FIRST} and ${FIRST + COUNT - 1}`);
}

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
