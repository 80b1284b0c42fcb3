import assert from 'node:assert/strict';
import { recordSampleTrace, sendSpans, traceIdOf, TRANSPORTS } from '../sdk-spans.ts';
import { runTracelake, type TracelakeProcess } from '../tracelake-process.ts';
import { Cluster } from './cluster.ts';
import { GATEWAY_YAML, BACKEND_YAML } from './cluster-configs.ts';
import { expectedSpans, waitForWholeTrace } from './trace-checks.ts';

describe('examples/cluster configs', function () {
  for (const file of [GATEWAY_YAML, BACKEND_YAML]) {
    it(`validates ${file.slice(file.indexOf('examples/'))} as shipped`, async function () {
      const result = await runTracelake(['validate', '--config', file]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /: valid\n$/);
    });
  }
});

describe('clustered example: OTLP into the gateway, by ID out of the ingester', function () {
  let cluster: Cluster | undefined;
  let gateway: TracelakeProcess;
  let ingester: TracelakeProcess;

  before(async function () {
    cluster = await Cluster.create('e2e');
    [gateway, ingester] = await Promise.all([cluster.startGateway(), cluster.startIngester()]);
  });

  after(async function () {
    await cluster?.close();
  });

  for (const transport of TRANSPORTS) {
    it(`returns a trace sent over ${transport} whole, every field unchanged, through all four API variants`, async function () {
      const recorded = recordSampleTrace(`cluster-${transport.replace('/', '-')}`);
      await sendSpans(transport, gateway, recorded);
      await waitForWholeTrace(ingester, traceIdOf(recorded), expectedSpans(recorded), { timeoutMs: 20_000 });
    });
  }
});
