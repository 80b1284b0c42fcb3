import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type SpanContext } from '@opentelemetry/api';
import { ExportResultCode, TraceState } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';

/** Spans recorded by the real OpenTelemetry JS SDK, and its three OTLP exporters. */

export type Transport = 'grpc' | 'http/protobuf' | 'http/json';
export const TRANSPORTS: readonly Transport[] = ['grpc', 'http/protobuf', 'http/json'];

export interface OtlpEndpoints { readonly otlpGrpcUrl: string; readonly otlpHttpUrl: string }

export function createOtlpExporter(transport: Transport, endpoints: OtlpEndpoints, timeoutMillis = 10_000): SpanExporter {
  switch (transport) {
    case 'grpc': return new GrpcExporter({ url: endpoints.otlpGrpcUrl, timeoutMillis });
    case 'http/protobuf': return new ProtoExporter({ url: endpoints.otlpHttpUrl, timeoutMillis });
    case 'http/json': return new JsonExporter({ url: endpoints.otlpHttpUrl, timeoutMillis });
  }
}

/** One export call; resolves once the receiver acknowledged it, rejects with the exporter's error. */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[], onAck?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        onAck?.();
        resolve();
      } else {
        reject(result.error ?? new Error('export failed'));
      }
    });
  });
}

/** Sends the spans with a fresh exporter and shuts it down. */
export async function sendSpans(transport: Transport, endpoints: OtlpEndpoints, spans: ReadableSpan[]): Promise<void> {
  const exporter = createOtlpExporter(transport, endpoints);
  try {
    await exportSpans(exporter, spans);
  } finally {
    await exporter.shutdown();
  }
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function traceIdOf(spans: readonly ReadableSpan[]): string {
  const ids = new Set(spans.map((s) => s.spanContext().traceId));
  if (ids.size !== 1) throw new Error(`expected one trace, got ${ids.size}`);
  return [...ids][0]!;
}

function sampleResource(serviceName: string): ReturnType<typeof resourceFromAttributes> {
  // The SDK's span API refuses bytes and maps; resources pass them through to the OTLP encoders untouched.
  const extra = { 'host.id.bytes': new Uint8Array([0, 1, 2, 253, 254, 255]), 'cloud.labels': { team: 'payments', shard: 7 } };
  return resourceFromAttributes({
    'service.name': serviceName,
    'service.version': '2.4.1',
    'deployment.environment.name': 'integration',
    'host.cpu.count': 8,
    'process.runtime.debug': false,
    ...(extra as unknown as Attributes),
  });
}

/**
 * Records one trace with every field Tracelake must keep: five span kinds, attributes of every type,
 * events with attributes, a link with trace state, an error status, two instrumentation scopes, a remote
 * parent, nanosecond timestamps.
 */
export function recordSampleTrace(serviceName = 'checkout'): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: sampleResource(serviceName),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const web = provider.getTracer('tracelake-it.web', '1.2.3');
  const db = provider.getTracer('tracelake-it.db', '0.9.0');
  const t0 = Math.floor(Date.now() / 1000) - 5;

  const root = web.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    startTime: [t0, 123_456_789],
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 500,
      'app.cart.empty': false,
      'app.cart.checked': true,
      'app.cart.items': 0,
      'app.balance.delta': -42,
      'app.max.safe': Number.MAX_SAFE_INTEGER,
      'app.ratio': 0.125,
      'app.price': 1234.5,
      'app.tags': ['a', 'b', ''],
      'app.quantities': [1, 2, 3, -4],
      'app.weights': [0.5, 1.25],
      'app.flags': [true, false],
      'app.unicode': 'ñ日本🚀',
    },
  });
  root.addEvent('request.received', { 'http.request.body.size': 512, 'client.trusted': false, 'client.ip': '10.0.0.7' }, [t0, 123_457_000]);
  const rootCtx = trace.setSpan(ROOT_CONTEXT, root);

  const price = web.startSpan('price', { kind: SpanKind.INTERNAL, attributes: { 'app.currency': 'EUR', 'app.total': 99.99 } }, rootCtx);
  price.addEvent('price.computed');
  price.setStatus({ code: SpanStatusCode.OK });
  const query = db.startSpan(
    'db.query',
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT * FROM stock WHERE sku = $1', 'db.rows': 0 } },
    trace.setSpan(rootCtx, price),
  );
  query.recordException(new Error('deadlock detected'));
  query.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
  query.end();
  price.end();

  const upstream: SpanContext = {
    traceId: randomHex(16),
    spanId: randomHex(8),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=abc,other=1'),
  };
  const publish = web.startSpan(
    'publish orders',
    { kind: SpanKind.PRODUCER, links: [{ context: upstream, attributes: { 'link.reason': 'batch', 'link.index': 3 } }] },
    rootCtx,
  );
  publish.end();
  // The consumer continues the producer's context as a message header would carry it: remote, with trace state.
  const fromMessage: SpanContext = {
    traceId: publish.spanContext().traceId,
    spanId: publish.spanContext().spanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=xyz'),
  };
  const consume = web.startSpan('process orders', { kind: SpanKind.CONSUMER }, trace.setSpanContext(ROOT_CONTEXT, fromMessage));
  consume.end();

  root.setStatus({ code: SpanStatusCode.ERROR, message: 'checkout failed: stock unavailable' });
  root.end([t0 + 1, 987_654_321]);
  return memory.getFinishedSpans();
}

/** A small trace (root + children) for durability tests; `parent` attaches all spans to an existing trace. */
export function recordSimpleTrace(options: { spans?: number; name?: string; traceId?: string } = {}): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'durability' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('tracelake-it', '1.0.0');
  const parentCtx = options.traceId === undefined
    ? ROOT_CONTEXT
    : trace.setSpanContext(ROOT_CONTEXT, { traceId: options.traceId, spanId: randomHex(8), traceFlags: TraceFlags.SAMPLED, isRemote: true });
  const name = options.name ?? 'op';
  const root = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'app.part': name } }, parentCtx);
  const ctx = trace.setSpan(parentCtx, root);
  for (let i = 1; i < (options.spans ?? 3); i++) {
    tracer.startSpan(`${name}.child-${i}`, { attributes: { 'app.index': i } }, ctx).end();
  }
  root.end();
  return memory.getFinishedSpans();
}
