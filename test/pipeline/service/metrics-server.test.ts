import assert from 'node:assert/strict';
import { Counter, Registry } from 'prom-client';
import { createMetricsServer } from '../../../pipeline/service/metrics-server.ts';

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
