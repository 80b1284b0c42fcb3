import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { performance } from 'node:perf_hooks';

/**
 * One OTLP export with the answer as it came, status and headers included, where the SDK exporters would
 * retry and report only success or failure. Bodies are encoded by the SDK's own serializer.
 */

const EXPORT_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export function encodeSpans(spans: ReadableSpan[]): Buffer {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the SDK serializer produced no request');
  return Buffer.from(bytes);
}

export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Buffer;
  readonly ms: number;
}

/** POST <url> with an ExportTraceServiceRequest (as `tenant` when given); a connection failure rejects. */
export async function postOtlpHttp(url: string, body: Buffer, timeoutMs = 20_000, tenant?: string): Promise<HttpAnswer> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...(tenant === undefined ? {} : { 'x-scope-orgid': tenant }) },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = Buffer.from(await res.arrayBuffer());
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: answer, ms: performance.now() - t0 };
}

export interface GrpcAnswer {
  /** gRPC status code; 0 = OK. */
  readonly code: number;
  readonly details: string;
  readonly ms: number;
}

/** One unary Export call to `url` (http://host:port) with a deadline. */
export function exportOtlpGrpc(url: string, body: Buffer, timeoutMs = 20_000): Promise<GrpcAnswer> {
  const client = new Client(new URL(url).host, credentials.createInsecure());
  const t0 = performance.now();
  return new Promise<GrpcAnswer>((resolve) => {
    client.makeUnaryRequest(
      EXPORT_METHOD,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err: ServiceError | null) => {
        const ms = performance.now() - t0;
        resolve(err === null ? { code: 0, details: '', ms } : { code: err.code, details: err.details, ms });
      },
    );
  }).finally(() => client.close());
}
