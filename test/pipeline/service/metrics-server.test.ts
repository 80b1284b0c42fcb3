import assert from 'node:assert/strict';
import { Counter, Registry } from 'prom-client';
import { ConfigError } from '../../../pipeline/errors.ts';
import { createMetricsServer, splitAddress } from '../../../pipeline/service/metrics-server.ts';

describe('createMetricsServer', () => {
  it('serves the registry at /metrics and 404 elsewhere, and stops twice without complaint', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(3);
    const server = createMetricsServer('127.0.0.1:0', registry);
    await server.start({ signal: new AbortController().signal });
    const base = `http://127.0.0.1:${server.port()}`;
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^test_things_total 3$/m);
    assert.equal((await fetch(`${base}/other`)).status, 404);
    await server.shutdown();
    await server.shutdown();
    await assert.rejects(fetch(`${base}/metrics`));
  });
});

describe('splitAddress', () => {
  it('reads host:port, with an empty host meaning every interface', () => {
    assert.deepEqual(splitAddress('0.0.0.0:8888'), { host: '0.0.0.0', port: 8888 });
    assert.deepEqual(splitAddress(':8888'), { port: 8888 });
    assert.deepEqual(splitAddress('[::1]:9'), { host: '::1', port: 9 });
    assert.throws(() => splitAddress('localhost'), ConfigError);
  });
});
