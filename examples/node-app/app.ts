/**
 * A small checkout service instrumented with the OpenTelemetry JS SDK, sending its spans to Tracelake
 * over OTLP/gRPC. `node examples/node-app/app.ts` serves on :8080; `--once` makes one request to itself,
 * flushes, prints the trace ID and how to fetch it, and exits.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { inSpan } from './in-span.ts';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    path: { type: 'string', default: '/checkout?sku=sku-42&qty=2' },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
  },
});
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4317';
const tracelakeUrl = process.env.TRACELAKE_URL ?? 'http://localhost:3200';

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({
    'service.name': process.env.OTEL_SERVICE_NAME ?? 'checkout-demo',
    'service.version': '1.0.0',
    'deployment.environment.name': 'dev',
    'process.pid': process.pid,
  }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 500 })],
});
const tracer = provider.getTracer('checkout-demo', '1.0.0');
const db = provider.getTracer('demo-db-client', '0.3.0');
const propagator = new W3CTraceContextPropagator();

const stock = new Map<string, number>([['sku-42', 1000], ['sku-7', 3], ['broken', 10]]);

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function price(ctx: Context, sku: string, qty: number): Promise<number> {
  return inSpan(tracer, 'price', { parent: ctx, attributes: { 'app.sku': sku, 'app.quantity': qty } }, async (span) => {
    await sleep(2 + Math.random() * 5);
    const unit = 19.99;
    const discounted = qty >= 2;
    const total = Math.round(unit * qty * (discounted ? 0.9 : 1) * 100) / 100;
    if (discounted) span.addEvent('discount.applied', { 'app.discount.percent': 10, 'app.discount.code': 'MULTI' });
    span.setAttributes({ 'app.currency': 'EUR', 'app.total': total, 'app.discounted': discounted, 'app.price.rules': ['base', 'multi'] });
    return total;
  });
}

async function reserveStock(ctx: Context, sku: string, qty: number): Promise<void> {
  await inSpan(tracer, 'reserve-stock', { parent: ctx, attributes: { 'app.sku': sku, 'app.quantity': qty } }, async (span, inner) => {
    const available = await inSpan(db, 'db.query', {
      parent: inner,
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'shop', 'db.query.text': 'SELECT available FROM stock WHERE sku = $1 FOR UPDATE' },
    }, async (q) => {
      await sleep(3 + Math.random() * 10);
      if (sku === 'broken') throw new Error('connection reset by peer');
      q.setAttribute('db.response.returned_rows', stock.has(sku) ? 1 : 0);
      return stock.get(sku) ?? 0;
    });
    if (available < qty) {
      span.addEvent('stock.insufficient', { 'app.available': available, 'app.requested': qty });
      throw new HttpError(409, `only ${available} of ${sku} left`);
    }
    stock.set(sku, available - qty);
    span.addEvent('stock.reserved', { 'app.remaining': available - qty });
  });
}
async function checkout(ctx: Context, url: URL): Promise<object> {
  const sku = url.searchParams.get('sku') ?? 'sku-42';
  const qty = Number(url.searchParams.get('qty') ?? '1');
  if (!Number.isInteger(qty) || qty < 1) throw new HttpError(400, 'qty must be a positive integer');
  const total = await price(ctx, sku, qty);
  await reserveStock(ctx, sku, qty);
  return { sku, qty, total, currency: 'EUR' };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const span = tracer.startSpan(`${req.method} ${url.pathname}`, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': url.pathname, 'url.query': url.search.slice(1), 'http.route': url.pathname },
  }, parent);
  const traceId = span.spanContext().traceId;
  let status = 200;
  let body: object;
  try {
    if (url.pathname !== '/checkout') throw new HttpError(404, 'try /checkout?sku=sku-42&qty=2');
    body = { traceId, order: await checkout(trace.setSpan(parent, span), url) };
  } catch (err) {
    status = err instanceof HttpError ? err.status : 500;
    body = { traceId, error: (err as Error).message };
    // Server spans mark only 5xx as errors (OpenTelemetry HTTP semantic conventions).
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
  }
  span.setAttribute('http.response.status_code', status);
  span.end();
  res.writeHead(status, { 'content-type': 'application/json', 'x-trace-id': traceId });
  res.end(`${JSON.stringify(body)}\n`);
}

function listen(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

function howToFetch(traceId: string): string {
  return [
    `trace ${traceId} exported to ${endpoint}`,
    `  curl -s ${tracelakeUrl}/api/v2/traces/${traceId}             # Tempo v2 JSON`,
    `  curl -s ${tracelakeUrl}/api/traces/${traceId}                # Tempo v1 JSON`,
    `  curl -s -H 'Accept: application/protobuf' ${tracelakeUrl}/api/v2/traces/${traceId} -o trace.pb   # what Grafana reads`,
  ].join('\n');
}

async function once(): Promise<number> {
  const server = await listen(0);
  const { port } = server.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}${args.path}`);
  const body = (await res.json()) as { traceId: string };
  server.close();
  console.log(`GET ${args.path} → ${res.status} ${JSON.stringify(body)}`);
  try {
    await provider.forceFlush();
  } catch (errors) {
    const reasons = (Array.isArray(errors) ? errors : [errors]).map((e: unknown) => (e as Error).message ?? String(e));
    console.error(`export to ${endpoint} failed (is Tracelake running? npm start): ${reasons.join('; ')}`);
    return 1;
  } finally {
    await provider.shutdown();
  }
  console.log(howToFetch(body.traceId));
  return 0;
}

async function serve(): Promise<void> {
  const server = await listen(Number(args.port));
  console.log(`checkout-demo on http://localhost:${args.port}, exporting to ${endpoint}`);
  console.log(`  curl -s 'http://localhost:${args.port}/checkout?sku=sku-42&qty=2'   # ok`);
  console.log(`  curl -s 'http://localhost:${args.port}/checkout?sku=sku-7&qty=9'    # 409, error span`);
  console.log(`  curl -s 'http://localhost:${args.port}/checkout?sku=broken'         # 500, failed db.query`);
  const stop = (): void => {
    server.close();
    provider.shutdown().then(() => process.exit(0), (err: unknown) => {
      console.error('flush on exit failed:', err);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (args.once) process.exitCode = await once();
else await serve();
