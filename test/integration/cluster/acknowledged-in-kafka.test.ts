import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readAll } from '../kafka-broker.ts';
import { createOtlpExporter, exportSpans, recordSimpleTrace, traceIdOf, type Transport } from '../sdk-spans.ts';
import { freePort } from '../tracelake-process.ts';
import { Cluster } from './cluster.ts';
import { encodeSpans, exportOtlpGrpc, postOtlpHttp } from './raw-otlp.ts';
import { expectedSpans, tracesOnTopic, waitForWholeTraces } from './trace-checks.ts';

describe('gateway: a 200 means the spans are in Kafka', function () {
  let cluster: Cluster | undefined;

  afterEach(async function () {
    await cluster?.close();
    cluster = undefined;
  });

  it('has every acknowledged trace on the topic while no ingester runs, and an ingester started afterwards serves them all', async function () {
    cluster = await Cluster.create('acked');
    const gateway = await cluster.startGateway();
    const traces = Array.from({ length: 12 }, (_, i) => recordSimpleTrace({ spans: 3, name: `acked-${i}` }));
    const transports: Transport[] = ['grpc', 'http/protobuf'];
    const exporters = transports.map((t) => createOtlpExporter(t, gateway));
    try {
      // Concurrent exports over both transports; each resolves only on the gateway's success answer.
      await Promise.all(traces.map((spans, i) => exportSpans(exporters[i % exporters.length]!, spans)));
    } finally {
      await Promise.all(exporters.map((e) => e.shutdown()));
    }
    const expected = new Map(traces.map((spans) => [traceIdOf(spans), expectedSpans(spans)]));

    // Read right after the last 200, with no record count to wait for: what is acknowledged is already there.
    const onTopic = tracesOnTopic(await readAll(cluster.topic));
    assert.deepStrictEqual(new Set(onTopic.spans.keys()), new Set(expected.keys()), 'trace IDs on the topic');
    for (const [id, spans] of expected) assert.deepStrictEqual(onTopic.spans.get(id), spans, `trace ${id} on the topic`);

    const ingester = await cluster.startIngester();
    await waitForWholeTraces(ingester, expected, { timeoutMs: 20_000, allVariants: false });
  });

  it('answers 503 over HTTP and UNAVAILABLE over gRPC, not success, within its timeout and retries when no broker answers', async function () {
    cluster = await Cluster.create('no-broker');
    // Nothing listens on this port: every connection attempt is refused.
    const closed = `127.0.0.1:${await freePort()}`;
    const gateway = await cluster.startGateway({
      brokers: [closed],
      overrides: [
        [['exporters', 'kafka', 'timeout'], '1s'],
        [['exporters', 'kafka', 'retry_on_failure', 'initial_interval'], '100ms'],
        [['exporters', 'kafka', 'retry_on_failure', 'max_interval'], '500ms'],
        [['exporters', 'kafka', 'retry_on_failure', 'max_elapsed_time'], '2s'],
      ],
    });
    // timeout + max_elapsed_time + the batch timeout, and slack for a loaded machine; the clients wait 20 s.
    const boundMs = 1000 + 2000 + 50 + 3000;
    const one = (): Buffer => encodeSpans(recordSimpleTrace({ spans: 2, name: 'no-broker' }) as ReadableSpan[]);

    const [http, grpc] = await Promise.all([postOtlpHttp(gateway.otlpHttpUrl, one()), exportOtlpGrpc(gateway.otlpGrpcUrl, one())]);
    assert.equal(http.status, 503, `HTTP answer ${http.status}: ${http.body.toString('latin1').slice(0, 200)}`);
    assert.ok(http.ms < boundMs, `HTTP 503 took ${Math.round(http.ms)} ms, more than ${boundMs} ms`);
    assert.equal(grpc.code, GrpcStatus.UNAVAILABLE, `gRPC answer ${grpc.code}: ${grpc.details}`);
    assert.ok(grpc.ms < boundMs, `gRPC UNAVAILABLE took ${Math.round(grpc.ms)} ms, more than ${boundMs} ms`);
  });
});
