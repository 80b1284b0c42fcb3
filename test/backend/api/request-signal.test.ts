import assert from 'node:assert/strict';
import { request } from 'node:http';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ApiServer } from '../../../backend/api/api-server.ts';
import { textReply } from '../../../backend/api/replies.ts';

describe('ApiServer request signal', () => {
  it('aborts a handler’s signal when the client goes away, and not after a reply', async () => {
    let slow: AbortSignal | undefined;
    let quick: AbortSignal | undefined;
    let aborted: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (aborted = resolve));
    const server = new ApiServer({
      listenAddress: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), metrics: new Registry(),
      routes: [
        { path: '/slow', handler: (req) => {
          slow = req.signal;
          req.signal.addEventListener('abort', () => aborted());
          return new Promise(() => undefined);
        } },
        { path: '/quick', handler: (req) => {
          quick = req.signal;
          return textReply(200, 'ok');
        } },
      ],
    });
    await server.start();
    try {
      const { port } = server.address();
      const res = await fetch(`http://127.0.0.1:${port}/quick`);
      assert.equal(await res.text(), 'ok');
      const client = request({ host: '127.0.0.1', port, path: '/slow' });
      client.on('error', () => undefined);
      client.end();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(slow?.aborted, false);
      client.destroy();
      await stopped;
      assert.equal(slow?.aborted, true);
      assert.equal(quick?.aborted, false);
    } finally {
      await server.stop();
    }
  });
});
