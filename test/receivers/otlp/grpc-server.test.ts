import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { QueueFullError, RetryableError, UnauthorizedError } from '../../../pipeline/errors.ts';
import { protobufToJson } from '../../../pipeline/otlp/json.ts';
import { deferred, startReceiver, until, type StartedReceiver } from './receiver-harness.ts';
import { exportSpans, sdkSpans } from './sdk-spans.ts';
import { encodeTraceRequest, testSpans } from './trace-payload.ts';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const GZIP = 2; // grpc-js compressionAlgorithms.gzip

interface CallResult {
  readonly error: grpc.ServiceError | null;
  readonly response?: Buffer;
}

/** A raw unary Export call, bytes in and out. */
function rawExport(address: string, body: Uint8Array, options: { gzip?: boolean; tenant?: string } = {}): Promise<CallResult> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(),
    options.gzip === true ? { 'grpc.default_compression_algorithm': GZIP } : {});
  const metadata = new grpc.Metadata();
  if (options.tenant !== undefined) metadata.set('x-scope-orgid', options.tenant);
  return new Promise((resolve) => {
    client.makeUnaryRequest(EXPORT_PATH, (b: Uint8Array) => Buffer.from(b), (b: Buffer) => b, body, metadata,
      (error, response) => {
        client.close();
        resolve({ error, response });
      });
  });
}

describe('OTLP/gRPC receiver', () => {
  let r: StartedReceiver;

  beforeEach(async () => {
    r = await startReceiver({ grpc: { max_recv_msg_size_mib: 0.0625 } }); // 64 KiB
  });

  afterEach(async () => {
    await r.receiver.shutdown();
  });

  it('receives spans from the OpenTelemetry SDK exporter, gzip-compressed, with the tenant from metadata', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-scope-orgid', 'team-b');
    const exporter = new OTLPTraceExporter({
      url: `http://${r.grpcAddress}`, compression: 'gzip' as CompressionAlgorithm, metadata,
    });
    const spans = await sdkSpans(3);
    const result = await exportSpans(exporter, spans);
    assert.equal(result.code, 0, result.error?.message);
    assert.equal(r.consumer.calls.length, 1);
    assert.equal(r.consumer.calls[0]!.ctx.tenant, 'team-b');
    assert.deepEqual(new Set(r.consumer.spanIds()), new Set(spans.map((s) => s.spanContext().spanId)));
  });

  it('accepts a raw gzip-compressed request and replies with an empty response', async () => {
    const result = await rawExport(r.grpcAddress, encodeTraceRequest([{ service: 'svc', spans: testSpans(4) }]),
      { gzip: true });
    assert.equal(result.error, null);
    assert.equal(result.response!.length, 0);
    assert.equal(r.consumer.calls[0]!.batch.spanCount, 4);
    assert.equal(r.consumer.calls[0]!.ctx.tenant, undefined);
  });

  it('answers INVALID_ARGUMENT with a message for a malformed request', async () => {
    const result = await rawExport(r.grpcAddress, Uint8Array.of(0x0a, 0x50, 0x01));
    assert.equal(result.error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(result.error!.details, /truncated/);
    assert.equal(r.consumer.calls.length, 0);
  });

  it('answers RESOURCE_EXHAUSTED for a message over max_recv_msg_size_mib, compressed or not', async () => {
    const big = encodeTraceRequest([{ service: 'x'.repeat(70 * 1024), spans: testSpans(1) }]);
    const plain = await rawExport(r.grpcAddress, big);
    assert.equal(plain.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    const gzipped = await rawExport(r.grpcAddress, big, { gzip: true });
    assert.equal(gzipped.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(r.consumer.calls.length, 0);
  });

  it('reports spans with invalid IDs as partial success', async () => {
    const spans = [...testSpans(1), { traceId: '0'.repeat(32), spanId: '1'.repeat(16), name: 'bad' }];
    const result = await rawExport(r.grpcAddress, encodeTraceRequest([{ service: 'svc', spans }]));
    assert.equal(result.error, null);
    const response = protobufToJson(result.response!, 'ExportTraceServiceResponse', 'otlp') as
      { partialSuccess: { rejectedSpans: unknown; errorMessage: string } };
    assert.equal(String(response.partialSuccess.rejectedSpans), '1');
    assert.notEqual(response.partialSuccess.errorMessage, '');
  });

  it('maps refusals downstream to UNAVAILABLE with retry info, and UNAUTHENTICATED', async () => {
    const body = encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]);
    for (const err of [new RetryableError('storage down', { retryAfterSeconds: 5 }), new QueueFullError('full')]) {
      r.consumer.behaviour = async () => {
        throw err;
      };
      const result = await rawExport(r.grpcAddress, body);
      assert.equal(result.error?.code, grpc.status.UNAVAILABLE);
      assert.equal(result.error!.details, err.message);
      const details = result.error!.metadata.get('grpc-status-details-bin')[0] as Buffer;
      const status = protobufToJson(details, 'Status', 'otlp') as { details: { '@type': string }[] };
      assert.equal(status.details[0]!['@type'], 'type.googleapis.com/google.rpc.RetryInfo');
    }
    r.consumer.behaviour = async () => {
      throw new UnauthorizedError('no tenant');
    };
    const result = await rawExport(r.grpcAddress, body);
    assert.equal(result.error?.code, grpc.status.UNAUTHENTICATED);
  });

  it('lets an in-flight call finish on shutdown before resolving', async () => {
    const release = deferred();
    r.consumer.behaviour = () => release.promise;
    const call = rawExport(r.grpcAddress, encodeTraceRequest([{ service: 'svc', spans: testSpans(1) }]));
    await until(() => r.consumer.calls.length === 1);
    let stopped = false;
    const shutdown = r.receiver.shutdown().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(stopped, false);
    release.resolve();
    assert.equal((await call).error, null);
    await shutdown;
  });

  it('counts accepted spans under the grpc transport', async () => {
    await rawExport(r.grpcAddress, encodeTraceRequest([{ service: 'svc', spans: testSpans(6) }]));
    const text = await r.settings.metrics.metrics();
    assert.match(text, /tracelake_receiver_accepted_spans_total\{receiver="otlp",transport="grpc"\} 6/);
  });
});
