import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { BoundServer } from './bound-server.ts';
import { formatEndpoint } from '../../pipeline/endpoint.ts';
import { encodeExportResponse, encodeStatus } from './export-response.ts';
import { exportStatusOf } from './export-status.ts';
import type { GrpcSettings } from './settings.ts';
import type { TraceExport } from './trace-export.ts';

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const passThrough = (b: Buffer): Buffer => b;

/** The OTLP TraceService with raw bytes in and out, so requests are decoded by our own decoder, not protobufjs. */
export const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: asBuffer,
    requestDeserialize: passThrough,
    responseSerialize: asBuffer,
    responseDeserialize: passThrough,
  },
};

export interface GrpcServerOptions {
  readonly settings: GrpcSettings;
  readonly exporter: TraceExport;
  readonly logger: Logger;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<BoundServer> {
  const { settings, exporter, logger } = options;
  // grpc-js answers RESOURCE_EXHAUSTED past this size, on the wire and after decompression alike.
  const server = new grpc.Server({
    'grpc.max_receive_message_length': settings.maxRecvBytes,
    ...(settings.maxConcurrentStreams > 0 ? { 'grpc.max_concurrent_streams': settings.maxConcurrentStreams } : {}),
    ...settings.keepaliveOptions,
  });
  server.addService(TRACE_SERVICE, {
    Export(call: grpc.ServerUnaryCall<Buffer, Uint8Array>, callback: grpc.sendUnaryData<Uint8Array>) {
      exportCall(call, exporter).then(
        (response) => callback(null, response),
        (err: unknown) => {
          logger.debug({ err, transport: 'grpc' }, 'export refused');
          callback(grpcError(err));
        },
      );
    },
  });
  const host = settings.endpoint.host === '' ? '0.0.0.0' : settings.endpoint.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(formatEndpoint(host, settings.endpoint.port), grpc.ServerCredentials.createInsecure(),
      (err, bound) => (err === null ? resolve(bound) : reject(err)));
  });
  return {
    endpoint: formatEndpoint(host, port),
    close: () => new Promise<void>((resolve, reject) => {
      server.tryShutdown((err) => (err === undefined ? resolve() : reject(err)));
    }),
  };
}

async function exportCall(call: grpc.ServerUnaryCall<Buffer, Uint8Array>, exporter: TraceExport): Promise<Uint8Array> {
  const tenant = call.metadata.get('x-scope-orgid')[0];
  const result = await exporter.export({
    body: call.request,
    format: 'protobuf',
    tenant: tenant === undefined || tenant === '' ? undefined : String(tenant),
    transport: 'grpc',
  });
  return encodeExportResponse(result);
}

function grpcError(err: unknown): grpc.ServerErrorResponse {
  const status = exportStatusOf(err);
  const metadata = new grpc.Metadata();
  if (status.retryAfterSeconds !== undefined) {
    const details = encodeStatus(status.grpcCode, status.message, status.retryAfterSeconds);
    metadata.set('grpc-status-details-bin', asBuffer(details));
  }
  return Object.assign(new Error(status.message), { code: status.grpcCode, details: status.message, metadata });
}
