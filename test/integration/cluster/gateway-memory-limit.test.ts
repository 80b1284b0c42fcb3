import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { readAll } from '../kafka-broker.ts';
import { recordSimpleTrace, traceIdOf } from '../sdk-spans.ts';
import { Cluster } from './cluster.ts';
import { encodeSpans, exportOtlpGrpc, postOtlpHttp } from './raw-otlp.ts';
import { tracesOnTopic } from './trace-checks.ts';

describe('gateway memory_limiter', function () {
  let cluster: Cluster | undefined;

  after(async function () {
    await cluster?.close();
  });

  it('refuses with 503 + Retry-After and gRPC UNAVAILABLE, keeping the spans out of Kafka, while memory is over the limit; accepts with the shipped limit', async function () {
    cluster = await Cluster.create('memory');
    // A 1 MiB limit is below any Node process's resident memory: the first check (at start) already refuses.
    const tight = await cluster.startGateway({
      overrides: [
        [['processors', 'memory_limiter', 'limit_mib'], 1],
        [['processors', 'memory_limiter', 'spike_limit_mib'], 0],
        [['processors', 'memory_limiter', 'check_interval'], '100ms'],
      ],
    });
    const overHttp = recordSimpleTrace({ spans: 2, name: 'refused-http' });
    const overGrpc = recordSimpleTrace({ spans: 2, name: 'refused-grpc' });
    const http = await postOtlpHttp(tight.otlpHttpUrl, encodeSpans(overHttp));
    assert.equal(http.status, 503, `HTTP answer ${http.status}: ${http.body.toString('latin1').slice(0, 200)}`);
    assert.match(http.retryAfter ?? '', /^[1-9][0-9]*$/, 'Retry-After (whole seconds) on the 503');
    const grpc = await exportOtlpGrpc(tight.otlpGrpcUrl, encodeSpans(overGrpc));
    assert.equal(grpc.code, GrpcStatus.UNAVAILABLE, `gRPC answer ${grpc.code}: ${grpc.details}`);
    assert.match(grpc.details, /memory/, 'gRPC status message');
    await tight.stop('SIGTERM');

    // The shipped limits (examples/cluster/gateway.yaml): the same kind of request goes through.
    const shipped = await cluster.startGateway();
    const accepted = recordSimpleTrace({ spans: 2, name: 'accepted' });
    const ok = await postOtlpHttp(shipped.otlpHttpUrl, encodeSpans(accepted));
    assert.equal(ok.status, 200, `HTTP answer ${ok.status}: ${ok.body.toString('latin1').slice(0, 200)}`);

    const onTopic = tracesOnTopic(await readAll(cluster.topic));
    assert.deepStrictEqual([...onTopic.spans.keys()], [traceIdOf(accepted)], 'traces on the topic: only the accepted one');
  });
});
