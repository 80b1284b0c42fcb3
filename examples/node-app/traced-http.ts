import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace,
  type Context, type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { inSpan } from './in-span.ts';

/**
 * What the demo's Node services (shipping.ts, notification.ts) share: an SDK set up from the standard
 * OTEL_* variables, HTTP server spans that continue a caller's W3C `traceparent`, and client spans that
 * send it on. Span names and attributes follow the HTTP semantic conventions, as the Java agent writes them,
 * so Java and Node hops look alike in one trace.
 */

const propagator = new W3CTraceContextPropagator();

/** What a route answers. */
export interface Reply { readonly status: number; readonly body: object }

/** A route's logic: the request's context (parent of any span it starts) and URL. */
export type Route = (ctx: Context, url: URL) => Promise<Reply>;

/** A tracer provider exporting OTLP/gRPC to OTEL_EXPORTER_OTLP_ENDPOINT, as service OTEL_SERVICE_NAME. */
export function createTracing(defaultName: string): { provider: BasicTracerProvider; tracer: Tracer } {
  const name = process.env.OTEL_SERVICE_NAME ?? defaultName;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': name, 'service.version': '1.0.0', 'process.pid': process.pid }),
    spanProcessors: [new BatchSpanProcessor(
      new OTLPTraceExporter({ url: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4317' }),
      { scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY ?? 500) },
    )],
  });
  return { provider, tracer: provider.getTracer(`tracelake-demo-${name}`, '1.0.0') };
}

/**
 * Serves `routes` (by path) on 127.0.0.1:`port`, one SERVER span per request, child of the caller's
 * traceparent when there is one. 5xx answers mark the span as an error (4xx do not, per the conventions).
 * SIGTERM / SIGINT close the server and flush the provider before exiting.
 */
export async function serveTraced(
  tracing: { provider: BasicTracerProvider; tracer: Tracer },
  port: number,
  routes: Readonly<Record<string, Route>>,
): Promise<Server> {
  const server = createServer((req, res) => {
    handle(tracing.tracer, routes, req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const stop = (): void => {
    server.close();
    tracing.provider.shutdown().then(() => process.exit(0), (err: unknown) => {
      console.error('flush on exit failed:', err);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

async function handle(tracer: Tracer, routes: Readonly<Record<string, Route>>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const route = routes[url.pathname];
  const method = req.method ?? 'GET';
  const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const span = tracer.startSpan(route === undefined ? method : `${method} ${url.pathname}`, {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': method, 'url.scheme': 'http', 'url.path': url.pathname, 'url.query': url.search.slice(1),
      'server.address': url.hostname, 'server.port': Number(url.port), 'network.protocol.version': req.httpVersion,
      'user_agent.original': req.headers['user-agent'] ?? '', ...(route === undefined ? {} : { 'http.route': url.pathname }),
    },
  }, parent);
  let reply: Reply;
  try {
    reply = route === undefined ? { status: 404, body: { error: `no route ${url.pathname}` } } : await route(trace.setSpan(parent, span), url);
  } catch (err) {
    span.recordException(err as Error);
    reply = { status: 500, body: { error: (err as Error).message } };
  }
  span.setAttribute('http.response.status_code', reply.status);
  if (reply.status >= 500) {
    span.setAttributes({ 'error.type': String(reply.status) });
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
  res.writeHead(reply.status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(reply.body)}\n`);
}

/**
 * GET `url` inside a CLIENT span (child of `ctx`) whose context goes along as `traceparent`; answers the
 * status and parsed JSON body. 4xx and 5xx mark the client span as an error, as the conventions say.
 */
export function tracedGet(tracer: Tracer, ctx: Context, url: URL): Promise<Reply> {
  const attributes = {
    'http.request.method': 'GET', 'url.full': url.href, 'server.address': url.hostname, 'server.port': Number(url.port),
  };
  return inSpan(tracer, 'GET', { parent: ctx, kind: SpanKind.CLIENT, attributes }, async (span, inner) => {
    const headers: Record<string, string> = {};
    propagator.inject(inner, headers, defaultTextMapSetter);
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as object;
    span.setAttribute('http.response.status_code', res.status);
    if (res.status >= 400) {
      span.setAttributes({ 'error.type': String(res.status) });
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return { status: res.status, body };
  });
}
