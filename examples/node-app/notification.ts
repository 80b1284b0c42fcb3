/**
 * The demo's notification service (Node, OpenTelemetry JS SDK): `GET /notify?event&sku` answers 202 as if
 * a message were queued. The last hop of examples/java-agent/demo.sh's trace (called by shipping.ts).
 *
 *   PORT=8084 node_modules/.bin/node examples/node-app/notification.ts
 */
import { createTracing, serveTraced } from './traced-http.ts';

const tracing = createTracing('notification');
const port = Number(process.env.PORT ?? '8084');

await serveTraced(tracing, port, {
  '/notify': async (ctx, url) => {
    const span = tracing.tracer.startSpan('enqueue-message', { attributes: { 'app.event': url.searchParams.get('event') ?? '' } }, ctx);
    span.end();
    return { status: 202, body: { queued: true } };
  },
});
console.log(`notification listening on http://127.0.0.1:${port}/notify`);
