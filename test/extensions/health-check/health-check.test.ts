import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { healthCheckExtensionFactory } from '../../../extensions/health-check/factory.ts';
import type { HealthCheck } from '../../../extensions/health-check/health-check.ts';

const settings = {
  id: 'health_check', logger: pino({ level: 'silent' }), metrics: new Registry(),
  build: { version: '0', revision: '0', goVersion: '0' },
};

describe('health_check extension', () => {
  it('answers 503 until the service is ready, 200 while it runs, 503 once it stops', async () => {
    const config = { ...healthCheckExtensionFactory.createDefaultConfig(), endpoint: '127.0.0.1:0', path: '/health' };
    const check = healthCheckExtensionFactory.create(settings, config) as HealthCheck;
    await check.start();
    const url = `http://127.0.0.1:${check.port()}/health`;
    try {
      const before = await fetch(url);
      assert.equal(before.status, 503);
      assert.equal((await before.json() as { status: string }).status, 'Server not available');

      check.serviceReady();
      const ready = await fetch(url);
      assert.equal(ready.status, 200);
      const body = await ready.json() as { status: string; upSince: string };
      assert.equal(body.status, 'Server available');
      assert.ok(Date.parse(body.upSince) <= Date.now());
      assert.equal((await fetch(`http://127.0.0.1:${check.port()}/other`)).status, 404);

      check.serviceStopping();
      assert.equal((await fetch(url)).status, 503);
    } finally {
      await check.shutdown();
      await check.shutdown();
    }
  });

  it('reports a bad endpoint at load time', () => {
    const config = { ...healthCheckExtensionFactory.createDefaultConfig(), endpoint: 'localhost' };
    assert.deepEqual(healthCheckExtensionFactory.validate(config), ['endpoint: endpoint "localhost" has no port']);
  });
});
